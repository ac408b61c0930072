//! The syntax tree of a PartiQL statement, as written (parameters are still `?` slots).
//! `Display` writes a statement back as PartiQL that parses to the same tree; the round-trip
//! tests rely on it.

use std::fmt::{self, Display};

/// One step of a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// `.name`, `."name"` (or the first name of the path).
    Name(String),
    /// `[3]`.
    Index(usize),
}

/// Where a token sits in the statement: line and column (1-based) and length in characters,
/// as DynamoDB's positional messages give them (`at 1:52:7`). Positions always compare equal:
/// a statement means the same wherever its tokens were written.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Pos {
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

impl PartialEq for Pos {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Pos {}

impl Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.line, self.column, self.len)
    }
}

/// A document path: `a.b[2]."c d"`, and where its first name is written. Never empty; it
/// starts with a `Name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Path(pub Vec<Step>, pub Pos);

impl Path {
    /// The top-level attribute.
    pub fn head(&self) -> &str {
        match self.0.first() {
            Some(Step::Name(n)) => n,
            _ => "",
        }
    }

    /// The single attribute name when the path is just one (`pk`), for key matching.
    pub fn single(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Step::Name(n)] => Some(n),
            _ => None,
        }
    }

    /// The name a projected value is returned under: the last name of the path.
    pub fn output_name(&self) -> &str {
        self.0
            .iter()
            .rev()
            .find_map(|s| match s {
                Step::Name(n) => Some(n.as_str()),
                Step::Index(_) => None,
            })
            .unwrap_or_default()
    }
}

/// The comparison operators are the expression language's own.
pub(crate) use crate::expr::CompareOp;

/// An expression: a value, a path, or a condition built from them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Expr {
    Path(Path),
    /// `'text'`.
    Str(String),
    /// A number as written (`-` folded in).
    Number(String),
    Bool(bool),
    Null,
    /// `?`, numbered from 0.
    Param(usize),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `{'k': v}`; keys are string literals or parameters.
    Map(Vec<(Expr, Expr)>),
    /// `<<a, b>>`: a set.
    Bag(Vec<Expr>),
    /// `f(args)`; the name as written, and where.
    Call(String, Vec<Expr>, Pos),
    /// `a + b`, `a - b` (UPDATE's SET only).
    Arith(Box<Expr>, char, Box<Expr>),
    Compare(CompareOp, Box<Expr>, Box<Expr>),
    Between(Box<Expr>, Box<Expr>, Box<Expr>),
    In(Box<Expr>, Vec<Expr>),
    /// `a IS [NOT] MISSING`, `a IS [NOT] NULL`, `a IS [NOT] <type>`: (operand, negated, what).
    Is(Box<Expr>, bool, IsWhat),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

/// What `IS` tests for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum IsWhat {
    Missing,
    Null,
    /// A type name (`BOOL`, `STRING`, `DOUBLE PRECISION`, …) as the parser spells it, and the
    /// DynamoDB type it stands for (`None` when DynamoDB has no such type, so nothing is one).
    Type(&'static str, Option<&'static str>),
}

/// The table (and optionally index) a statement names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    pub table: String,
    pub index: Option<String>,
}

/// `RETURNING ALL OLD *` and friends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Returning {
    AllOld,
    ModifiedOld,
    AllNew,
    ModifiedNew,
}

impl Returning {
    /// The `ReturnValues` this asks for.
    pub fn return_values(self) -> &'static str {
        match self {
            Self::AllOld => "ALL_OLD",
            Self::ModifiedOld => "UPDATED_OLD",
            Self::AllNew => "ALL_NEW",
            Self::ModifiedNew => "UPDATED_NEW",
        }
    }

    fn words(self) -> &'static str {
        match self {
            Self::AllOld => "ALL OLD",
            Self::ModifiedOld => "MODIFIED OLD",
            Self::AllNew => "ALL NEW",
            Self::ModifiedNew => "MODIFIED NEW",
        }
    }
}

/// One action of an UPDATE.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum UpdateAction {
    Set(Path, Expr),
    Remove(Path),
}

/// A PartiQL statement DynamoDB runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Statement {
    Select {
        /// `None` is `*`.
        projection: Option<Vec<Path>>,
        from: Target,
        filter: Option<Expr>,
        /// `ORDER BY key DESC` reads the partition backwards.
        descending: bool,
    },
    Insert {
        table: String,
        item: Expr,
    },
    /// `UPDATE t SET … WHERE …`, or the FROM-first form `FROM t [WHERE …] SET …` (which may
    /// leave the WHERE out; planning then refuses it).
    Update {
        table: String,
        actions: Vec<UpdateAction>,
        filter: Option<Expr>,
        returning: Option<Returning>,
        from_first: bool,
    },
    Delete {
        table: String,
        filter: Expr,
        returning: Option<Returning>,
    },
    /// `EXISTS(SELECT * FROM t WHERE …)`: ExecuteTransaction's condition check.
    Exists {
        table: String,
        filter: Option<Expr>,
    },
}

impl Statement {
    /// Whether the statement reads (SELECT) rather than writes.
    pub fn is_read(&self) -> bool {
        matches!(self, Self::Select { .. })
    }

    /// The table the statement names.
    pub fn table(&self) -> &str {
        match self {
            Self::Select { from, .. } => &from.table,
            Self::Insert { table, .. }
            | Self::Update { table, .. }
            | Self::Delete { table, .. }
            | Self::Exists { table, .. } => table,
        }
    }
}

fn quote(f: &mut fmt::Formatter<'_>, q: char, text: &str) -> fmt::Result {
    let doubled: String = text.chars().flat_map(|c| if c == q { vec![c, c] } else { vec![c] }).collect();
    write!(f, "{q}{doubled}{q}")
}

fn list<T: Display>(f: &mut fmt::Formatter<'_>, items: &[T]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        item.fmt(f)?;
    }
    Ok(())
}

impl Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Name(n) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    quote(f, '"', n)?;
                }
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

impl Display for Expr {
    /// Conditions are written fully parenthesised, so precedence never matters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Path(p) => p.fmt(f),
            Self::Str(s) => quote(f, '\'', s),
            Self::Number(n) => f.write_str(n),
            Self::Bool(b) => f.write_str(if *b { "TRUE" } else { "FALSE" }),
            Self::Null => f.write_str("NULL"),
            Self::Param(_) => f.write_str("?"),
            Self::List(items) => {
                f.write_str("[")?;
                list(f, items)?;
                f.write_str("]")
            }
            Self::Bag(items) => {
                f.write_str("<<")?;
                list(f, items)?;
                f.write_str(">>")
            }
            Self::Map(entries) => {
                f.write_str("{")?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_str("}")
            }
            Self::Call(name, args, _) => {
                write!(f, "{name}(")?;
                list(f, args)?;
                f.write_str(")")
            }
            Self::Arith(a, op, b) => write!(f, "{a} {op} {b}"),
            Self::Compare(op, a, b) => write!(f, "({a} {} {b})", op.symbol()),
            Self::Between(a, lo, hi) => write!(f, "({a} BETWEEN {lo} AND {hi})"),
            Self::In(a, items) => {
                write!(f, "({a} IN [")?;
                list(f, items)?;
                f.write_str("])")
            }
            Self::Is(a, negated, what) => write!(
                f,
                "({a} IS {}{})",
                if *negated { "NOT " } else { "" },
                match what {
                    IsWhat::Missing => "MISSING",
                    IsWhat::Null => "NULL",
                    IsWhat::Type(name, _) => name,
                }
            ),
            Self::Not(a) => write!(f, "(NOT {a})"),
            Self::And(items) | Self::Or(items) => {
                let op = if matches!(self, Self::And(_)) { " AND " } else { " OR " };
                f.write_str("(")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(op)?;
                    }
                    item.fmt(f)?;
                }
                f.write_str(")")
            }
        }
    }
}

impl Display for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let returning = |f: &mut fmt::Formatter<'_>, r: &Option<Returning>| match r {
            Some(r) => write!(f, " RETURNING {} *", r.words()),
            None => Ok(()),
        };
        match self {
            Self::Select { projection, from, filter, descending } => {
                f.write_str("SELECT ")?;
                match projection {
                    None => f.write_str("*")?,
                    Some(paths) => list(f, paths)?,
                }
                f.write_str(" FROM ")?;
                quote(f, '"', &from.table)?;
                if let Some(index) = &from.index {
                    f.write_str(".")?;
                    quote(f, '"', index)?;
                }
                if let Some(filter) = filter {
                    write!(f, " WHERE {filter}")?;
                }
                if *descending {
                    f.write_str(" ORDER BY x DESC")?;
                }
                Ok(())
            }
            Self::Insert { table, item } => {
                f.write_str("INSERT INTO ")?;
                quote(f, '"', table)?;
                write!(f, " VALUE {item}")
            }
            Self::Update { table, actions, filter, returning: r, from_first } => {
                f.write_str(if *from_first { "FROM " } else { "UPDATE " })?;
                quote(f, '"', table)?;
                if let (true, Some(filter)) = (from_first, filter) {
                    write!(f, " WHERE {filter}")?;
                }
                for action in actions {
                    match action {
                        UpdateAction::Set(p, v) => write!(f, " SET {p} = {v}")?,
                        UpdateAction::Remove(p) => write!(f, " REMOVE {p}")?,
                    }
                }
                if let (false, Some(filter)) = (from_first, filter) {
                    write!(f, " WHERE {filter}")?;
                }
                returning(f, r)
            }
            Self::Delete { table, filter, returning: r } => {
                f.write_str("DELETE FROM ")?;
                quote(f, '"', table)?;
                write!(f, " WHERE {filter}")?;
                returning(f, r)
            }
            Self::Exists { table, filter } => {
                f.write_str("EXISTS(SELECT * FROM ")?;
                quote(f, '"', table)?;
                if let Some(filter) = filter {
                    write!(f, " WHERE {filter}")?;
                }
                f.write_str(")")
            }
        }
    }
}
