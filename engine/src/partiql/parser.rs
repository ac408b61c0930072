//! Phase 2: tokens → [`Statement`], by recursive descent with a depth limit. Errors are whole
//! DynamoDB messages (`Statement wasn't well formed, can't be processed: …`).
//!
//! Precedence, loosest first: `OR`, `AND`, `NOT`, a predicate (`=`, `BETWEEN`, `IN`, `IS`),
//! `+`/`-`, a primary (literal, `?`, path, call, parenthesised expression, list, map, bag).

use super::ast::{CompareOp, Expr, Path, Returning, Statement, Step, Target, UpdateAction};
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
];

/// Aggregates DynamoDB does not have; a projection naming one is refused by position.
const AGGREGATES: &[&str] = &["COUNT", "SUM", "AVG", "MIN", "MAX"];

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
    let tokens = tokenize(text);
    let params = tokens.iter().filter(|t| matches!(t.kind, TokenKind::Param(_))).count();
    let mut p = Parser { tokens, pos: 0, depth: 0 };
    let statement = p.statement()?;
    if !matches!(p.peek().kind, TokenKind::Eof) {
        return Err(p.unexpected());
    }
    Ok((statement, params))
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> &Token {
        // The token list always ends with Eof, and `pos` never passes it.
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn peek_at(&self, ahead: usize) -> &Token {
        &self.tokens[(self.pos + ahead).min(self.tokens.len() - 1)]
    }

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

    fn eat_punct(&mut self, p: &str) -> bool {
        let yes = matches!(self.peek().kind, TokenKind::Punct(q) if q == p);
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
        } else {
            Err(malformed("Expected data manipulation"))
        }
    }

    /// A table or attribute name: a bare word (not a reserved one) or a quoted identifier.
    fn identifier(&mut self) -> PResult<String> {
        match self.peek().kind.clone() {
            TokenKind::Quoted(q) => {
                self.pos += 1;
                Ok(q)
            }
            TokenKind::Word(w) if !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(&w)) => {
                self.pos += 1;
                Ok(w)
            }
            _ => Err(self.unexpected()),
        }
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
        if matches!(self.peek().kind, TokenKind::Punct(".")) {
            return Err(malformed("A path may contain at most 2 components in the FROM clause"));
        }
        let filter = if self.eat_keyword("WHERE") { Some(self.expr()?) } else { None };
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

    /// A projected path; an aggregate call is refused with DynamoDB's positional message.
    fn projected_path(&mut self) -> PResult<Path> {
        let t = self.peek().clone();
        if let TokenKind::Word(w) = &t.kind {
            let call = matches!(self.peek_at(1).kind, TokenKind::Punct("("));
            if call && AGGREGATES.iter().any(|a| a.eq_ignore_ascii_case(w)) {
                return Err(format!("Unexpected path component at {}:{}:{}", t.line, t.column, t.len));
            }
        }
        self.path()
    }

    fn insert(&mut self) -> PResult<Statement> {
        self.expect_keyword("INTO")?;
        let table = self.identifier()?;
        if self.at_keyword("VALUES") || matches!(self.peek().kind, TokenKind::Punct("<<")) {
            return Err(malformed(
                "Unsupported operation: Inserting multiple items in a single statement is not supported, use \"INSERT INTO tableName VALUE item\" instead",
            ));
        }
        self.expect_keyword("VALUE")?;
        let item = self.primary()?;
        Ok(Statement::Insert { table, item })
    }

    fn update(&mut self) -> PResult<Statement> {
        let table = self.identifier()?;
        let mut actions = Vec::new();
        loop {
            if self.eat_keyword("SET") {
                loop {
                    let path = self.path()?;
                    self.expect_punct("=")?;
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
        self.expect_keyword("WHERE")?;
        let filter = self.expr()?;
        let returning = self.returning()?;
        Ok(Statement::Update { table, actions, filter, returning })
    }

    fn delete(&mut self) -> PResult<Statement> {
        self.expect_keyword("FROM")?;
        let table = self.identifier()?;
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
        let mut steps = vec![Step::Name(self.identifier()?)];
        loop {
            if self.eat_punct(".") {
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
                return Ok(Path(steps));
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
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Expr::Or(items) })
    }

    fn and(&mut self) -> PResult<Expr> {
        let mut items = vec![self.not()?];
        while self.eat_keyword("AND") {
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
            let low = self.additive()?;
            self.expect_keyword("AND")?;
            let high = self.additive()?;
            return Ok(wrap(Expr::Between(Box::new(left), Box::new(low), Box::new(high))));
        }
        if self.eat_keyword("IN") {
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
            let missing = if self.eat_keyword("MISSING") {
                true
            } else if self.eat_keyword("NULL") {
                false
            } else {
                return Err(self.unexpected());
            };
            return Ok(Expr::Is(Box::new(left), negated, missing));
        }
        Ok(left)
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
                _ => Err(self.unexpected()),
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
                Ok(Expr::Call(w, args))
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
