//! Phase 2: tokens → [`Statement`], by recursive descent with a depth limit. Errors are whole
//! DynamoDB messages, most inside `Statement wasn't well formed, can't be processed: …`, with
//! the detail DynamoDB's PartiQL parser gives for what it met where a term was wanted: the end
//! of the statement (`Unexpected term`), a keyword (`Unexpected keyword`), an operator
//! (`Unexpected operator`), nothing after an infix operator (`Missing right-hand side
//! expression of infix operator`), or anything left after a whole statement (`Unexpected token
//! after expression`).
//!
//! Precedence, loosest first: `OR`, `AND`, `NOT`, a predicate (`=`, `BETWEEN`, `IN`, `IS`),
//! `+`/`-`, a primary (literal, `?`, path, call, parenthesised expression, list, map, bag).

use super::ast::{CompareOp, Expr, IsWhat, Path, Pos, Returning, Statement, Step, Target, UpdateAction};
use super::lexer::{tokenize, Token, TokenKind};

/// Deepest nesting of parentheses, literals and NOTs a statement may have.
pub(crate) const MAX_DEPTH: usize = 64;

/// Words that end or join expressions, so they are never read as attribute names.
const RESERVED: &[&str] = &[
    "SELECT",
    "FROM",
    "WHERE",
    "AND",
    "OR",
    "NOT",
    "IN",
    "BETWEEN",
    "IS",
    "LIKE",
    "SET",
    "REMOVE",
    "VALUE",
    "VALUES",
    "INSERT",
    "INTO",
    "UPDATE",
    "DELETE",
    "RETURNING",
    "ORDER",
    "BY",
    "TRUE",
    "FALSE",
    "NULL",
    "MISSING",
    "AS",
];

/// Words PartiQL reads as operators: one where a term should start is `Unexpected operator`.
const OPERATOR_WORDS: &[&str] = &["AND", "OR", "NOT", "IS", "IN", "LIKE", "BETWEEN"];

/// PartiQL's keywords that can neither start a term nor follow a `.` in a path.
const KEYWORDS: &[&str] = &[
    "SELECT",
    "FROM",
    "WHERE",
    "ORDER",
    "BY",
    "GROUP",
    "HAVING",
    "LIMIT",
    "OFFSET",
    "AS",
    "AT",
    "ASC",
    "DESC",
    "INSERT",
    "INTO",
    "VALUE",
    "VALUES",
    "UPDATE",
    "DELETE",
    "SET",
    "REMOVE",
    "RETURNING",
    "JOIN",
    "INNER",
    "OUTER",
    "LEFT",
    "RIGHT",
    "FULL",
    "CROSS",
    "NATURAL",
    "ON",
    "USING",
    "UNION",
    "INTERSECT",
    "EXCEPT",
    "DISTINCT",
    "ALL",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "PIVOT",
    "UNPIVOT",
    "LET",
    "WITH",
];

/// Aggregates DynamoDB does not have; a projection naming one is refused by position.
const AGGREGATES: &[&str] = &["COUNT", "SUM", "AVG", "MIN", "MAX"];

/// The type names `IS` takes (one or two words), and the DynamoDB type each stands for.
const TYPE_NAMES: &[(&str, Option<&str>)] = &[
    ("BOOL", Some("BOOL")),
    ("BOOLEAN", Some("BOOL")),
    ("STRING", Some("S")),
    ("VARCHAR", Some("S")),
    ("CHAR", Some("S")),
    ("CHARACTER", Some("S")),
    ("CHARACTER VARYING", Some("S")),
    ("SYMBOL", Some("S")),
    ("CLOB", Some("S")),
    ("SMALLINT", Some("N")),
    ("INT", Some("N")),
    ("INT2", Some("N")),
    ("INT4", Some("N")),
    ("INT8", Some("N")),
    ("INTEGER", Some("N")),
    ("INTEGER2", Some("N")),
    ("INTEGER4", Some("N")),
    ("INTEGER8", Some("N")),
    ("BIGINT", Some("N")),
    ("FLOAT", Some("N")),
    ("REAL", Some("N")),
    ("DOUBLE PRECISION", Some("N")),
    ("DECIMAL", Some("N")),
    ("DEC", Some("N")),
    ("NUMERIC", Some("N")),
    ("BLOB", Some("B")),
    ("LIST", Some("L")),
    ("SEXP", Some("L")),
    ("STRUCT", Some("M")),
    ("TUPLE", Some("M")),
    ("BAG", None),
    ("DATE", None),
    ("TIME", None),
    ("TIMESTAMP", None),
];

type PResult<T> = Result<T, String>;

/// The message DynamoDB prefixes every parse failure with.
pub(crate) fn malformed(detail: &str) -> String {
    format!("Statement wasn't well formed, can't be processed: {detail}")
}

/// Parses one statement; `Err` is DynamoDB's message.
#[cfg(test)]
pub(crate) fn parse(text: &str) -> PResult<Statement> {
    parse_counting(text).map(|(s, _)| s)
}

/// Parses one statement and counts its `?` parameters.
pub(crate) fn parse_counting(text: &str) -> PResult<(Statement, usize)> {
    let tokens = tokenize(text).map_err(|_| malformed(""))?;
    let params = tokens.iter().filter(|t| matches!(t.kind, TokenKind::Param(_))).count();
    let mut p = Parser { tokens, pos: 0, depth: 0, aliased: false };
    let statement = p.statement()?;
    p.eat_punct(";");
    if !matches!(p.peek().kind, TokenKind::Eof) {
        return Err(malformed("Unexpected token after expression"));
    }
    // DynamoDB reads a table alias and then refuses it.
    if p.aliased {
        return Err("Aliasing is not supported".into());
    }
    Ok((statement, params))
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    /// A table was given an alias.
    aliased: bool,
}

fn is_one_of(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

fn pos_of(t: &Token) -> Pos {
    Pos { line: t.line, column: t.column, len: t.len }
}

impl Parser {
    fn peek(&self) -> &Token {
        // The token list always ends with Eof, and `pos` never passes it.
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn peek_at(&self, ahead: usize) -> &Token {
        &self.tokens[(self.pos + ahead).min(self.tokens.len() - 1)]
    }

    /// What DynamoDB says when the token here cannot start a term.
    fn unexpected_term(&self) -> String {
        let detail = match &self.peek().kind {
            TokenKind::Word(w) if is_one_of(w, OPERATOR_WORDS) => "Unexpected operator",
            TokenKind::Word(w) if is_one_of(w, KEYWORDS) => "Unexpected keyword",
            TokenKind::Punct("=" | "<>" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*") => {
                "Unexpected operator"
            }
            _ => "Unexpected term",
        };
        malformed(detail)
    }

    /// DynamoDB's message for a token that does not fit where it stands.
    fn unexpected(&self) -> String {
        let t = self.peek();
        match &t.kind {
            TokenKind::Eof => malformed("Unexpected end of statement"),
            _ => malformed(&format!("Unexpected token '{}' at {}:{}", t.text(), t.line, t.column)),
        }
    }

    fn at_keyword(&self, word: &str) -> bool {
        self.peek().is_keyword(word)
    }

    fn eat_keyword(&mut self, word: &str) -> bool {
        let yes = self.at_keyword(word);
        if yes {
            self.pos += 1;
        }
        yes
    }

    fn expect_keyword(&mut self, word: &str) -> PResult<()> {
        if self.eat_keyword(word) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn at_punct(&self, p: &str) -> bool {
        matches!(self.peek().kind, TokenKind::Punct(q) if q == p)
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        let yes = self.at_punct(p);
        if yes {
            self.pos += 1;
        }
        yes
    }

    fn expect_punct(&mut self, p: &str) -> PResult<()> {
        if self.eat_punct(p) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    /// Steps over an infix operator's right-hand side being absent, which DynamoDB names.
    fn right_hand_side(&self) -> PResult<()> {
        if matches!(self.peek().kind, TokenKind::Eof) {
            return Err(malformed("Missing right-hand side expression of infix operator"));
        }
        Ok(())
    }

    fn enter(&mut self) -> PResult<()> {
        if self.depth >= MAX_DEPTH {
            return Err(malformed("Statement is nested too deeply"));
        }
        self.depth += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn statement(&mut self) -> PResult<Statement> {
        if self.eat_keyword("SELECT") {
            self.select()
        } else if self.eat_keyword("INSERT") {
            self.insert()
        } else if self.eat_keyword("UPDATE") {
            self.update()
        } else if self.eat_keyword("DELETE") {
            self.delete()
        } else if self.at_keyword("FROM") {
            self.pos += 1;
            self.update_from_first()
        } else if self.at_keyword("EXISTS") && matches!(self.peek_at(1).kind, TokenKind::Punct("(")) {
            self.pos += 2;
            self.exists()
        } else {
            Err(self.expression_statement())
        }
    }

    /// A statement that is an expression, not a command. DynamoDB parses it and refuses it; the
    /// one kind it names is a type test (`x IS INT4`).
    fn expression_statement(&mut self) -> String {
        let start = self.pos;
        if let Ok(Expr::Is(_, _, IsWhat::Type(..))) = self.expr() {
            self.eat_punct(";");
            if matches!(self.peek().kind, TokenKind::Eof) {
                return "Unsupported operation: IsType".into();
            }
        }
        self.pos = start;
        malformed("Expected data manipulation")
    }

    /// A name that is not one of the words that end or join expressions.
    fn name_word(&self) -> Option<String> {
        match &self.peek().kind {
            TokenKind::Quoted(q) => Some(q.clone()),
            TokenKind::Word(w) if !is_one_of(w, RESERVED) => Some(w.clone()),
            _ => None,
        }
    }

    /// A table or attribute name: a bare word (not a reserved one) or a quoted identifier.
    fn identifier(&mut self) -> PResult<String> {
        match self.name_word() {
            Some(name) => {
                self.pos += 1;
                Ok(name)
            }
            None => Err(self.unexpected_term()),
        }
    }

    /// The table a DELETE, UPDATE or INSERT names: DynamoDB reads it as a simple path.
    fn simple_path(&mut self) -> PResult<String> {
        match self.name_word() {
            Some(name) => {
                self.pos += 1;
                Ok(name)
            }
            None => Err(malformed("Expected identifier for simple path")),
        }
    }

    /// An alias after a table name (`t` or `AS t`), which is read and later refused.
    fn alias(&mut self) -> PResult<()> {
        if self.eat_keyword("AS") {
            self.identifier()?;
            self.aliased = true;
        } else if let TokenKind::Word(w) = &self.peek().kind {
            if !is_one_of(w, RESERVED) && !is_one_of(w, KEYWORDS) {
                self.pos += 1;
                self.aliased = true;
            }
        } else if matches!(self.peek().kind, TokenKind::Quoted(_)) {
            self.pos += 1;
            self.aliased = true;
        }
        Ok(())
    }

    fn select(&mut self) -> PResult<Statement> {
        let projection = if self.eat_punct("*") {
            None
        } else {
            let mut paths = vec![self.projected_path()?];
            while self.eat_punct(",") {
                paths.push(self.projected_path()?);
            }
            Some(paths)
        };
        self.expect_keyword("FROM")?;
        let table = self.identifier()?;
        let index = if self.eat_punct(".") { Some(self.identifier()?) } else { None };
        if self.at_punct(".") {
            return Err(malformed("A path may contain at most 2 components in the FROM clause"));
        }
        self.alias()?;
        let filter = self.where_clause()?;
        let mut descending = false;
        if self.eat_keyword("ORDER") {
            self.expect_keyword("BY")?;
            loop {
                self.path()?;
                if self.eat_keyword("DESC") {
                    descending = true;
                } else {
                    self.eat_keyword("ASC");
                }
                if !self.eat_punct(",") {
                    break;
                }
            }
        }
        Ok(Statement::Select { projection, from: Target { table, index }, filter, descending })
    }

    fn where_clause(&mut self) -> PResult<Option<Expr>> {
        if self.eat_keyword("WHERE") {
            Ok(Some(self.expr()?))
        } else {
            Ok(None)
        }
    }

    /// A projected path; a call (an aggregate, a function) is refused with DynamoDB's
    /// positional message.
    fn projected_path(&mut self) -> PResult<Path> {
        let t = self.peek().clone();
        if let TokenKind::Word(w) = &t.kind {
            let call = matches!(self.peek_at(1).kind, TokenKind::Punct("("));
            if call && (AGGREGATES.iter().any(|a| a.eq_ignore_ascii_case(w)) || !is_one_of(w, RESERVED)) {
                return Err(format!("Unexpected path component at {}", pos_of(&t)));
            }
        }
        self.path()
    }

    fn insert(&mut self) -> PResult<Statement> {
        self.expect_keyword("INTO")?;
        let table = self.simple_path()?;
        if self.at_keyword("VALUES") || self.at_punct("<<") {
            return Err(malformed(
                "Unsupported operation: Inserting multiple items in a single statement is not supported, use \"INSERT INTO tableName VALUE item\" instead",
            ));
        }
        if !self.eat_keyword("VALUE") {
            return Err(match self.peek().kind {
                TokenKind::Eof => self.unexpected_term(),
                _ => malformed("Unexpected token after expression"),
            });
        }
        let item = self.primary()?;
        Ok(Statement::Insert { table, item })
    }

    /// `SET …` and `REMOVE …` clauses, in any number and order; at least one.
    fn update_actions(&mut self) -> PResult<Vec<UpdateAction>> {
        let mut actions = Vec::new();
        loop {
            if self.eat_keyword("SET") {
                loop {
                    let path = self.path()?;
                    self.expect_punct("=")?;
                    self.right_hand_side()?;
                    let value = self.additive()?;
                    actions.push(UpdateAction::Set(path, value));
                    if !self.eat_punct(",") {
                        break;
                    }
                }
            } else if self.eat_keyword("REMOVE") {
                loop {
                    actions.push(UpdateAction::Remove(self.path()?));
                    if !self.eat_punct(",") {
                        break;
                    }
                }
            } else {
                break;
            }
        }
        if actions.is_empty() {
            return Err(self.unexpected());
        }
        Ok(actions)
    }

    fn update(&mut self) -> PResult<Statement> {
        let table = self.simple_path()?;
        self.alias()?;
        let actions = self.update_actions()?;
        self.expect_keyword("WHERE")?;
        let filter = self.expr()?;
        let returning = self.returning()?;
        Ok(Statement::Update { table, actions, filter: Some(filter), returning, from_first: false })
    }

    /// `FROM t [WHERE …] SET … | REMOVE …`: an UPDATE written with its clauses in that order.
    fn update_from_first(&mut self) -> PResult<Statement> {
        let table = self.simple_path()?;
        let filter = self.where_clause()?;
        let actions = self.update_actions()?;
        let returning = self.returning()?;
        Ok(Statement::Update { table, actions, filter, returning, from_first: true })
    }

    /// `EXISTS(SELECT * FROM t WHERE …)`, the `EXISTS(` already read.
    fn exists(&mut self) -> PResult<Statement> {
        self.expect_keyword("SELECT")?;
        self.expect_punct("*")?;
        self.expect_keyword("FROM")?;
        let table = self.identifier()?;
        let filter = self.where_clause()?;
        self.expect_punct(")")?;
        Ok(Statement::Exists { table, filter })
    }

    fn delete(&mut self) -> PResult<Statement> {
        self.expect_keyword("FROM")?;
        let table = self.simple_path()?;
        self.alias()?;
        self.expect_keyword("WHERE")?;
        let filter = self.expr()?;
        let returning = self.returning()?;
        Ok(Statement::Delete { table, filter, returning })
    }

    fn returning(&mut self) -> PResult<Option<Returning>> {
        if !self.eat_keyword("RETURNING") {
            return Ok(None);
        }
        let which = if self.eat_keyword("ALL") {
            true
        } else if self.eat_keyword("MODIFIED") {
            false
        } else {
            return Err(self.unexpected());
        };
        let returning = match (which, self.eat_keyword("OLD"), self.eat_keyword("NEW")) {
            (true, true, false) => Returning::AllOld,
            (false, true, false) => Returning::ModifiedOld,
            (true, false, true) => Returning::AllNew,
            (false, false, true) => Returning::ModifiedNew,
            _ => return Err(self.unexpected()),
        };
        self.expect_punct("*")?;
        Ok(Some(returning))
    }

    fn path(&mut self) -> PResult<Path> {
        let at = pos_of(self.peek());
        let mut steps = vec![Step::Name(self.identifier()?)];
        loop {
            if self.eat_punct(".") {
                if matches!(&self.peek().kind, TokenKind::Word(w) if is_one_of(w, KEYWORDS)) {
                    return Err(malformed("Invalid path dot component"));
                }
                steps.push(Step::Name(self.identifier()?));
            } else if self.eat_punct("[") {
                match self.peek().kind.clone() {
                    TokenKind::Number(n) if n.bytes().all(|b| b.is_ascii_digit()) => {
                        let index = n.parse::<usize>().map_err(|_| malformed("Invalid list index"))?;
                        steps.push(Step::Index(index));
                    }
                    TokenKind::Str(s) => steps.push(Step::Name(s)),
                    _ => return Err(self.unexpected()),
                }
                self.pos += 1;
                self.expect_punct("]")?;
            } else {
                return Ok(Path(steps, at));
            }
        }
    }

    /// A whole condition (OR level).
    fn expr(&mut self) -> PResult<Expr> {
        self.enter()?;
        let result = self.or();
        self.leave();
        result
    }

    fn or(&mut self) -> PResult<Expr> {
        let mut items = vec![self.and()?];
        while self.eat_keyword("OR") {
            self.right_hand_side()?;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Expr::Or(items) })
    }

    fn and(&mut self) -> PResult<Expr> {
        let mut items = vec![self.not()?];
        while self.eat_keyword("AND") {
            self.right_hand_side()?;
            items.push(self.not()?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Expr::And(items) })
    }

    fn not(&mut self) -> PResult<Expr> {
        if self.eat_keyword("NOT") {
            self.enter()?;
            let inner = self.not();
            self.leave();
            return Ok(Expr::Not(Box::new(inner?)));
        }
        self.predicate()
    }

    fn predicate(&mut self) -> PResult<Expr> {
        let left = self.additive()?;
        let op = match self.peek().kind {
            TokenKind::Punct("=") => Some(CompareOp::Eq),
            TokenKind::Punct("<>" | "!=") => Some(CompareOp::Ne),
            TokenKind::Punct("<") => Some(CompareOp::Lt),
            TokenKind::Punct("<=") => Some(CompareOp::Le),
            TokenKind::Punct(">") => Some(CompareOp::Gt),
            TokenKind::Punct(">=") => Some(CompareOp::Ge),
            _ => None,
        };
        if let Some(op) = op {
            self.pos += 1;
            self.right_hand_side()?;
            let right = self.additive()?;
            return Ok(Expr::Compare(op, Box::new(left), Box::new(right)));
        }
        let negated = self.at_keyword("NOT")
            && (self.peek_at(1).is_keyword("BETWEEN") || self.peek_at(1).is_keyword("IN"));
        if negated {
            self.pos += 1;
        }
        let wrap = |e: Expr| if negated { Expr::Not(Box::new(e)) } else { e };
        if self.eat_keyword("BETWEEN") {
            self.right_hand_side()?;
            let low = self.additive()?;
            self.expect_keyword("AND")?;
            self.right_hand_side()?;
            let high = self.additive()?;
            return Ok(wrap(Expr::Between(Box::new(left), Box::new(low), Box::new(high))));
        }
        if self.eat_keyword("IN") {
            self.right_hand_side()?;
            let close = if self.eat_punct("[") {
                "]"
            } else if self.eat_punct("(") {
                ")"
            } else {
                return Err(self.unexpected());
            };
            let mut items = vec![self.additive()?];
            while self.eat_punct(",") {
                items.push(self.additive()?);
            }
            self.expect_punct(close)?;
            return Ok(wrap(Expr::In(Box::new(left), items)));
        }
        if self.eat_keyword("IS") {
            let negated = self.eat_keyword("NOT");
            let what = if self.eat_keyword("MISSING") {
                IsWhat::Missing
            } else if self.eat_keyword("NULL") {
                IsWhat::Null
            } else {
                self.type_name()?
            };
            return Ok(Expr::Is(Box::new(left), negated, what));
        }
        Ok(left)
    }

    /// A type name after `IS`: one word, or two (`DOUBLE PRECISION`, `CHARACTER VARYING`).
    fn type_name(&mut self) -> PResult<IsWhat> {
        let word = |t: &Token| match &t.kind {
            TokenKind::Word(w) => Some(w.to_ascii_uppercase()),
            _ => None,
        };
        let first = word(self.peek());
        let second = word(self.peek_at(1));
        if let (Some(a), Some(b)) = (&first, &second) {
            let two = format!("{a} {b}");
            if let Some((name, tag)) = TYPE_NAMES.iter().find(|(n, _)| *n == two) {
                self.pos += 2;
                return Ok(IsWhat::Type(name, *tag));
            }
        }
        if let Some(a) = &first {
            if let Some((name, tag)) = TYPE_NAMES.iter().find(|(n, _)| n == a) {
                self.pos += 1;
                return Ok(IsWhat::Type(name, *tag));
            }
        }
        Err(malformed("Expected type name"))
    }

    fn additive(&mut self) -> PResult<Expr> {
        let mut left = self.primary()?;
        loop {
            let op = match self.peek().kind {
                TokenKind::Punct("+") => '+',
                TokenKind::Punct("-") => '-',
                _ => return Ok(left),
            };
            self.pos += 1;
            self.right_hand_side()?;
            let right = self.primary()?;
            left = Expr::Arith(Box::new(left), op, Box::new(right));
        }
    }

    fn primary(&mut self) -> PResult<Expr> {
        self.enter()?;
        let result = self.primary_inner();
        self.leave();
        result
    }

    fn primary_inner(&mut self) -> PResult<Expr> {
        let t = self.peek().clone();
        let at = pos_of(&t);
        match t.kind {
            TokenKind::Str(s) => {
                self.pos += 1;
                Ok(Expr::Str(s))
            }
            TokenKind::Number(n) => {
                self.pos += 1;
                Ok(Expr::Number(n))
            }
            TokenKind::Param(i) => {
                self.pos += 1;
                Ok(Expr::Param(i))
            }
            TokenKind::Punct("-") => match self.peek_at(1).kind.clone() {
                TokenKind::Number(n) => {
                    self.pos += 2;
                    Ok(Expr::Number(format!("-{n}")))
                }
                _ => Err(self.unexpected_term()),
            },
            TokenKind::Punct("(") => {
                self.pos += 1;
                let inner = self.expr()?;
                self.expect_punct(")")?;
                Ok(inner)
            }
            TokenKind::Punct("[") => {
                self.pos += 1;
                Ok(Expr::List(self.items("]")?))
            }
            TokenKind::Punct("<<") => {
                self.pos += 1;
                Ok(Expr::Bag(self.items(">>")?))
            }
            TokenKind::Punct("{") => {
                self.pos += 1;
                self.map()
            }
            TokenKind::Word(w) if w.eq_ignore_ascii_case("TRUE") || w.eq_ignore_ascii_case("FALSE") => {
                self.pos += 1;
                Ok(Expr::Bool(w.eq_ignore_ascii_case("TRUE")))
            }
            TokenKind::Word(w) if w.eq_ignore_ascii_case("NULL") => {
                self.pos += 1;
                Ok(Expr::Null)
            }
            TokenKind::Word(w) if matches!(self.peek_at(1).kind, TokenKind::Punct("(")) => {
                self.pos += 2;
                let args = if self.eat_punct(")") { Vec::new() } else { self.rest_of(")")? };
                Ok(Expr::Call(w, args, at))
            }
            _ => Ok(Expr::Path(self.path()?)),
        }
    }

    /// Comma-separated expressions up to `close` (which may come at once).
    fn items(&mut self, close: &str) -> PResult<Vec<Expr>> {
        if self.eat_punct(close) {
            return Ok(Vec::new());
        }
        self.rest_of(close)
    }

    fn rest_of(&mut self, close: &str) -> PResult<Vec<Expr>> {
        let mut items = vec![self.expr()?];
        while self.eat_punct(",") {
            items.push(self.expr()?);
        }
        self.expect_punct(close)?;
        Ok(items)
    }

    fn map(&mut self) -> PResult<Expr> {
        let mut entries = Vec::new();
        if self.eat_punct("}") {
            return Ok(Expr::Map(entries));
        }
        loop {
            let key = match self.peek().kind.clone() {
                TokenKind::Str(s) => Expr::Str(s),
                TokenKind::Param(i) => Expr::Param(i),
                _ => return Err(self.unexpected()),
            };
            self.pos += 1;
            self.expect_punct(":")?;
            entries.push((key, self.expr()?));
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct("}")?;
        Ok(Expr::Map(entries))
    }
}
