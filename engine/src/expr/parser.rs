//! Phase 2: tokens → syntax tree, by recursive descent. Precedence is DynamoDB's:
//! NOT binds tighter than AND, AND tighter than OR; comparisons, BETWEEN, IN and functions are
//! the atoms. A syntax error names the token the parser stopped at and the text from the
//! token before it to the token after it, as DynamoDB does.
//!
//! A `(` at the start of a condition may open a parenthesised condition (`(a = :x)`) or a
//! parenthesised operand (`(a) = :x`, `(size(a)) > :n`); the parser reads the contents first
//! and decides afterwards, so it never backtracks. Two parentheses straight around the same
//! thing are refused at once ("The expression has redundant parentheses;"), as DynamoDB does.
//! Nesting deeper than [`MAX_DEPTH`] is reported as a syntax error at the token that went too
//! deep, which keeps the recursion bounded on any input.

use super::ast::{
    Call, Clause, ClauseKind, CompareOp, CondExpr, Operand, Path, PathElem, ProjectionAst, SetValue,
    UpdateAction, UpdateAst,
};
use super::lexer::{tokenize, Keyword, Token, TokenKind};

/// Deepest nesting of parentheses and NOTs the parser follows.
pub(crate) const MAX_DEPTH: usize = 128;

/// Why parsing stopped; the message does not yet carry the "Invalid …Expression: " prefix.
pub(crate) type ParseResult<T> = Result<T, String>;

/// A condition, or (inside parentheses) an operand still waiting to learn what it is.
enum Node {
    Cond(CondExpr),
    Bare(Operand),
}

struct Parser<'a> {
    source: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    /// The last parenthesised group closed: token indexes of its `(` and `)`.
    last_group: Option<(usize, usize)>,
}

/// Parses a condition expression.
pub(crate) fn parse_condition(source: &str) -> ParseResult<CondExpr> {
    let mut p = Parser::new(source);
    let cond = p.condition()?;
    p.expect_end()?;
    Ok(cond)
}

/// Parses an update expression.
pub(crate) fn parse_update(source: &str) -> ParseResult<UpdateAst> {
    let mut p = Parser::new(source);
    let update = p.update()?;
    p.expect_end()?;
    Ok(update)
}

/// Parses a projection expression.
pub(crate) fn parse_projection(source: &str) -> ParseResult<ProjectionAst> {
    let mut p = Parser::new(source);
    let mut paths = vec![p.path()?];
    while p.eat_punct(",") {
        paths.push(p.path()?);
    }
    p.expect_end()?;
    Ok(ProjectionAst(paths))
}

impl<'a> Parser<'a> {
    fn new(source: &'a str) -> Self {
        Parser { source, tokens: tokenize(source), pos: 0, depth: 0, last_group: None }
    }

    fn peek(&self) -> TokenKind {
        self.peek_at(0)
    }

    fn peek_at(&self, ahead: usize) -> TokenKind {
        // The token list always ends with Eof; past the end we keep answering Eof.
        self.tokens.get(self.pos + ahead).map_or(TokenKind::Eof, |t| t.kind)
    }

    fn text(&self, index: usize) -> &'a str {
        self.tokens.get(index).map_or("", |t| t.text(self.source))
    }

    fn advance(&mut self) {
        if self.pos + 1 < self.tokens.len() {
            self.pos += 1;
        }
    }

    /// DynamoDB's syntax error at the current token.
    fn syntax_error<T>(&self) -> ParseResult<T> {
        Err(syntax_message(self.source, &self.tokens, self.pos))
    }

    fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), TokenKind::Punct(q) if q == p)
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        let found = self.is_punct(p);
        if found {
            self.advance();
        }
        found
    }

    fn expect_punct(&mut self, p: &str) -> ParseResult<()> {
        if self.eat_punct(p) {
            Ok(())
        } else {
            self.syntax_error()
        }
    }

    fn is_keyword(&self, k: Keyword) -> bool {
        self.peek() == TokenKind::Keyword(k)
    }

    fn expect_end(&self) -> ParseResult<()> {
        if self.peek() == TokenKind::Eof {
            Ok(())
        } else {
            self.syntax_error()
        }
    }

    fn enter(&mut self) -> ParseResult<()> {
        if self.depth >= MAX_DEPTH {
            return self.syntax_error();
        }
        self.depth += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Consumes the `)` closing the group opened at token `open`; refuses `((x))`.
    fn close_group(&mut self, open: usize) -> ParseResult<()> {
        self.expect_punct(")")?;
        let close = self.pos - 1;
        if self.last_group == Some((open + 1, close - 1)) {
            return Err("The expression has redundant parentheses;".into());
        }
        self.last_group = Some((open, close));
        Ok(())
    }

    // ---- conditions ----

    fn condition(&mut self) -> ParseResult<CondExpr> {
        match self.or(false)? {
            Node::Cond(c) => Ok(c),
            // Only reachable with allow_bare; kept total for safety.
            Node::Bare(_) => self.syntax_error(),
        }
    }

    /// Turns a bare operand into a condition where the grammar now needs one.
    fn to_cond(&self, node: Node) -> ParseResult<CondExpr> {
        match node {
            Node::Cond(c) => Ok(c),
            Node::Bare(Operand::Call(call)) => Ok(CondExpr::Function(call)),
            Node::Bare(_) => self.syntax_error(),
        }
    }

    fn or(&mut self, allow_bare: bool) -> ParseResult<Node> {
        let first = self.and(allow_bare)?;
        if !self.is_keyword(Keyword::Or) {
            return Ok(first);
        }
        let mut operands = vec![self.to_cond(first)?];
        while self.is_keyword(Keyword::Or) {
            self.advance();
            let next = self.and(false)?;
            operands.push(self.to_cond(next)?);
        }
        Ok(Node::Cond(CondExpr::Or(operands)))
    }

    fn and(&mut self, allow_bare: bool) -> ParseResult<Node> {
        let first = self.not(allow_bare)?;
        if !self.is_keyword(Keyword::And) {
            return Ok(first);
        }
        let mut operands = vec![self.to_cond(first)?];
        while self.is_keyword(Keyword::And) {
            self.advance();
            let next = self.not(false)?;
            operands.push(self.to_cond(next)?);
        }
        Ok(Node::Cond(CondExpr::And(operands)))
    }

    fn not(&mut self, allow_bare: bool) -> ParseResult<Node> {
        if self.is_keyword(Keyword::Not) {
            self.enter()?;
            self.advance();
            let inner = self.not(false)?;
            let inner = self.to_cond(inner)?;
            self.leave();
            return Ok(Node::Cond(CondExpr::Not(Box::new(inner))));
        }
        self.primary(allow_bare)
    }

    fn primary(&mut self, allow_bare: bool) -> ParseResult<Node> {
        if self.is_punct("(") {
            self.enter()?;
            let open = self.pos;
            self.advance();
            let content = self.or(true)?;
            self.close_group(open)?;
            self.leave();
            return match content {
                Node::Cond(c) => Ok(Node::Cond(c)),
                Node::Bare(operand) => self.comparison_rest(operand, allow_bare),
            };
        }
        let operand = self.operand()?;
        self.comparison_rest(operand, allow_bare)
    }

    fn comparison_rest(&mut self, left: Operand, allow_bare: bool) -> ParseResult<Node> {
        let op = match self.peek() {
            TokenKind::Punct("=") => Some(CompareOp::Eq),
            TokenKind::Punct("<>") => Some(CompareOp::Ne),
            TokenKind::Punct("<") => Some(CompareOp::Lt),
            TokenKind::Punct("<=") => Some(CompareOp::Le),
            TokenKind::Punct(">") => Some(CompareOp::Gt),
            TokenKind::Punct(">=") => Some(CompareOp::Ge),
            _ => None,
        };
        if let Some(op) = op {
            self.advance();
            let right = self.operand()?;
            return Ok(Node::Cond(CondExpr::Compare { op, left, right }));
        }
        if self.is_keyword(Keyword::Between) {
            self.advance();
            let low = self.operand()?;
            if !self.is_keyword(Keyword::And) {
                return self.syntax_error();
            }
            self.advance();
            let high = self.operand()?;
            return Ok(Node::Cond(CondExpr::Between { operand: left, low, high }));
        }
        if self.is_keyword(Keyword::In) {
            self.advance();
            self.expect_punct("(")?;
            let mut list = vec![self.operand()?];
            while self.eat_punct(",") {
                list.push(self.operand()?);
            }
            self.expect_punct(")")?;
            return Ok(Node::Cond(CondExpr::In { operand: left, list }));
        }
        if allow_bare {
            return Ok(Node::Bare(left));
        }
        self.to_cond(Node::Bare(left)).map(Node::Cond)
    }

    // ---- operands and paths ----

    fn operand(&mut self) -> ParseResult<Operand> {
        match self.peek() {
            TokenKind::ValuePlaceholder => {
                let name = self.text(self.pos).to_owned();
                self.advance();
                Ok(Operand::Value(name))
            }
            TokenKind::Punct("(") => {
                self.enter()?;
                let open = self.pos;
                self.advance();
                let inner = self.operand()?;
                self.close_group(open)?;
                self.leave();
                Ok(inner)
            }
            TokenKind::Ident if self.peek_at(1) == TokenKind::Punct("(") => self.call().map(Operand::Call),
            TokenKind::Ident | TokenKind::NamePlaceholder => self.path().map(Operand::Path),
            _ => self.syntax_error(),
        }
    }

    fn call(&mut self) -> ParseResult<Call> {
        self.enter()?;
        let name = self.text(self.pos).to_owned();
        self.advance();
        self.expect_punct("(")?;
        let mut args = vec![self.operand()?];
        while self.eat_punct(",") {
            args.push(self.operand()?);
        }
        self.expect_punct(")")?;
        self.leave();
        Ok(Call { name, args })
    }

    fn path(&mut self) -> ParseResult<Path> {
        let mut elems = vec![self.path_name()?];
        loop {
            if self.eat_punct(".") {
                elems.push(self.path_name()?);
            } else if self.eat_punct("[") {
                if self.peek() != TokenKind::Int {
                    return self.syntax_error();
                }
                elems.push(PathElem::Index(self.text(self.pos).to_owned()));
                self.advance();
                self.expect_punct("]")?;
            } else {
                return Ok(Path(elems));
            }
        }
    }

    fn path_name(&mut self) -> ParseResult<PathElem> {
        let elem = match self.peek() {
            TokenKind::Ident => PathElem::Name(self.text(self.pos).to_owned()),
            TokenKind::NamePlaceholder => PathElem::Placeholder(self.text(self.pos).to_owned()),
            _ => return self.syntax_error(),
        };
        self.advance();
        Ok(elem)
    }

    // ---- updates ----

    fn update(&mut self) -> ParseResult<UpdateAst> {
        let mut clauses = Vec::new();
        loop {
            let kind = match self.peek() {
                TokenKind::Keyword(Keyword::Set) => ClauseKind::Set,
                TokenKind::Keyword(Keyword::Remove) => ClauseKind::Remove,
                TokenKind::Keyword(Keyword::Add) => ClauseKind::Add,
                TokenKind::Keyword(Keyword::Delete) => ClauseKind::Delete,
                _ => return self.syntax_error(),
            };
            self.advance();
            let mut actions = vec![self.update_action(kind)?];
            while self.eat_punct(",") {
                actions.push(self.update_action(kind)?);
            }
            clauses.push(Clause { kind, actions });
            if self.peek() == TokenKind::Eof {
                return Ok(UpdateAst(clauses));
            }
        }
    }

    fn update_action(&mut self, kind: ClauseKind) -> ParseResult<UpdateAction> {
        let path = self.path()?;
        match kind {
            ClauseKind::Set => {
                self.expect_punct("=")?;
                let value = self.set_value()?;
                Ok(UpdateAction::Set { path, value })
            }
            ClauseKind::Remove => Ok(UpdateAction::Remove { path }),
            ClauseKind::Add | ClauseKind::Delete => {
                if self.peek() != TokenKind::ValuePlaceholder {
                    return self.syntax_error();
                }
                let value = self.text(self.pos).to_owned();
                self.advance();
                Ok(UpdateAction::AddDelete { path, value })
            }
        }
    }

    fn set_value(&mut self) -> ParseResult<SetValue> {
        if self.is_punct("(") {
            // `(a + b)` or `(a) + b`: read the group, then see what follows.
            self.enter()?;
            let open = self.pos;
            self.advance();
            let inner = self.arithmetic()?;
            self.close_group(open)?;
            self.leave();
            return match inner {
                SetValue::Operand(left) => self.arithmetic_rest(left),
                other => Ok(other),
            };
        }
        self.arithmetic()
    }

    fn arithmetic(&mut self) -> ParseResult<SetValue> {
        let left = self.operand()?;
        self.arithmetic_rest(left)
    }

    fn arithmetic_rest(&mut self, left: Operand) -> ParseResult<SetValue> {
        if self.eat_punct("+") {
            Ok(SetValue::Plus(left, self.operand()?))
        } else if self.eat_punct("-") {
            Ok(SetValue::Minus(left, self.operand()?))
        } else {
            Ok(SetValue::Operand(left))
        }
    }
}

/// `Syntax error; token: "<tok>", near: "<prev tok … next tok>"`.
fn syntax_message(source: &str, tokens: &[Token], at: usize) -> String {
    let Some(token) = tokens.get(at) else {
        return "Syntax error; token: \"<EOF>\", near: \"\"".into();
    };
    let from = if at == 0 { 0 } else { tokens.get(at - 1).map_or(token.start, |t| t.start) };
    let to = tokens.get(at + 1).map_or(token.end, |t| t.end);
    let near = source.get(from..to.max(from)).unwrap_or("");
    format!("Syntax error; token: \"{}\", near: \"{}\"", token.text(source), near)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cond_err(s: &str) -> String {
        parse_condition(s).unwrap_err()
    }

    #[test]
    fn precedence_is_not_and_or() {
        let c = parse_condition("a = :a OR b = :b AND NOT c = :c").unwrap();
        assert_eq!(c.to_string(), "a = :a OR b = :b AND NOT c = :c");
        let CondExpr::Or(operands) = c else { panic!("OR at the top") };
        assert!(matches!(operands[1], CondExpr::And(_)));
        let c = parse_condition("(a = :a OR b = :b) AND c = :c").unwrap();
        assert_eq!(c.to_string(), "(a = :a OR b = :b) AND c = :c");
        let c = parse_condition("NOT a = :a AND b = :b").unwrap();
        assert!(matches!(c, CondExpr::And(..)));
    }

    #[test]
    fn parenthesised_operands_and_conditions() {
        assert_eq!(parse_condition("(a) = :v").unwrap().to_string(), "a = :v");
        assert_eq!(parse_condition("(size(a)) > :v").unwrap().to_string(), "size(a) > :v");
        assert_eq!(parse_condition("(attribute_exists(a))").unwrap().to_string(), "attribute_exists(a)");
        assert_eq!(parse_condition("(a = :v AND (b = :w))").unwrap().to_string(), "a = :v AND b = :w");
        assert_eq!(parse_condition("(NOT (#s = :s))").unwrap().to_string(), "NOT #s = :s");
        assert_eq!(parse_condition("a IN (:a, (:b))").unwrap().to_string(), "a IN (:a, :b)");
    }

    #[test]
    fn redundant_parentheses_are_refused() {
        for s in ["((a = :v))", "((a)) = :v", "a = ((:v))", "(((a = :v)) AND b = :v)"] {
            assert_eq!(cond_err(s), "The expression has redundant parentheses;", "{s}");
        }
    }

    #[test]
    fn syntax_errors_name_token_and_neighbours() {
        assert_eq!(cond_err("foo"), "Syntax error; token: \"<EOF>\", near: \"foo\"");
        assert_eq!(cond_err("attribute_not_exists("), "Syntax error; token: \"<EOF>\", near: \"(\"");
        assert_eq!(cond_err("a > 4"), "Syntax error; token: \"4\", near: \"> 4\"");
        assert_eq!(
            parse_update("INVALID SYNTAX").unwrap_err(),
            "Syntax error; token: \"INVALID\", near: \"INVALID SYNTAX\""
        );
        assert_eq!(
            parse_update("ADD hits : incr").unwrap_err(),
            "Syntax error; token: \":\", near: \"hits : incr\""
        );
        assert_eq!(
            parse_update("SET #a = :a, #b = :b,").unwrap_err(),
            "Syntax error; token: \"<EOF>\", near: \",\""
        );
        assert_eq!(
            parse_projection("!!! INVALID !!!").unwrap_err(),
            "Syntax error; token: \"!\", near: \"!!\""
        );
        assert_eq!(
            parse_update("SET a = b + c + d").unwrap_err(),
            "Syntax error; token: \"+\", near: \"c + d\""
        );
    }

    #[test]
    fn update_values_take_parentheses() {
        let u = parse_update("set b.c=((c[1])+(b.a)), x = (y - :z) remove q").unwrap();
        assert_eq!(u.to_string(), "SET b.c = c[1] + b.a, x = y - :z REMOVE q");
        assert!(parse_update("set a = (b.c).d + e").is_err());
        assert!(parse_update("set (a = (b + c))").is_err());
        assert!(parse_update("set a = ((b + c))").is_err());
    }

    #[test]
    fn depth_is_bounded() {
        let deep = format!("{}a = :v{}", "(NOT ".repeat(1000), ")".repeat(1000));
        assert!(cond_err(&deep).starts_with("Syntax error; token: \"(\""));
        let ok = format!("{}a = :v{}", "(NOT ".repeat(50), ")".repeat(50));
        assert!(parse_condition(&ok).is_ok());
        let unclosed = format!("{}a = :v", "(".repeat(3000));
        assert!(cond_err(&unclosed).starts_with("Syntax error"));
    }

    #[test]
    fn round_trips_through_display() {
        for s in [
            "a = :a OR (b = :b OR c = :c)",
            "(a = :a AND b = :b) AND c = :c",
            "NOT (a = :a OR b <> :b)",
            "NOT NOT a BETWEEN :lo AND :hi",
            "#a.b[1][2].#c IN (:x, :y, :z) AND contains(s, :v)",
            "size(a) >= :n OR begins_with(#p, :q) AND attribute_type(a, :t)",
        ] {
            let once = parse_condition(s).unwrap().to_string();
            let twice = parse_condition(&once).unwrap().to_string();
            assert_eq!(once, twice, "{s}");
            assert_eq!(parse_condition(&once).unwrap(), parse_condition(s).unwrap(), "{s}");
        }
        let s =
            "SET a = if_not_exists(a, :z) + :one, l = list_append(l, :l) REMOVE x[1] ADD s :s DELETE d :d";
        let once = parse_update(s).unwrap().to_string();
        assert_eq!(parse_update(&once).unwrap(), parse_update(s).unwrap());
    }
}
