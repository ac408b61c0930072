//! The syntax tree the parser builds, before placeholders are resolved: names are still
//! `#name` / `:value` text and list indexes are still digits. `Display` writes an expression
//! back as text that parses to the same tree (the round-trip tests rely on it).

use std::fmt::{self, Display};

/// One step of a document path as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PathElem {
    /// A bare attribute name (`a`).
    Name(String),
    /// An attribute name placeholder (`#n`).
    Placeholder(String),
    /// A list index (`[3]`), digits as written (range-checked later).
    Index(String),
}

/// A document path as written: `a.#b[2]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Path(pub Vec<PathElem>);

/// An operand of a comparison, a function or a SET action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Operand {
    /// A document path.
    Path(Path),
    /// An attribute value placeholder (`:v`).
    Value(String),
    /// A function call (`size(a)`, `if_not_exists(a, :v)`, or a misplaced one).
    Call(Call),
}

/// A function call as written; the name is checked later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Call {
    pub name: String,
    pub args: Vec<Operand>,
}

/// The six comparators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CompareOp {
    /// The comparator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Eq => "=",
            Self::Ne => "<>",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
        }
    }
}

/// A condition (ConditionExpression, FilterExpression, KeyConditionExpression).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CondExpr {
    /// Two or more operands. Chains are kept flat (not nested pairs), so a 4 KB chain of
    /// hundreds of ORs is shallow to check and evaluate.
    Or(Vec<CondExpr>),
    /// Two or more operands, flat like `Or`.
    And(Vec<CondExpr>),
    Not(Box<CondExpr>),
    Compare {
        op: CompareOp,
        left: Operand,
        right: Operand,
    },
    Between {
        operand: Operand,
        low: Operand,
        high: Operand,
    },
    In {
        operand: Operand,
        list: Vec<Operand>,
    },
    /// A function used as a condition (`attribute_exists(a)`, or a misplaced `size(a)`).
    Function(Call),
}

/// The right-hand side of a SET action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SetValue {
    Operand(Operand),
    Plus(Operand, Operand),
    Minus(Operand, Operand),
}

/// The four clauses of an update expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ClauseKind {
    Set,
    Remove,
    Add,
    Delete,
}

impl ClauseKind {
    /// The keyword, as DynamoDB's messages spell it.
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Set => "SET",
            Self::Remove => "REMOVE",
            Self::Add => "ADD",
            Self::Delete => "DELETE",
        }
    }
}

/// One action of an update clause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum UpdateAction {
    Set {
        path: Path,
        value: SetValue,
    },
    Remove {
        path: Path,
    },
    /// ADD or DELETE: a path and a `:value` placeholder.
    AddDelete {
        path: Path,
        value: String,
    },
}

impl UpdateAction {
    /// The path the action writes.
    pub fn path(&self) -> &Path {
        match self {
            Self::Set { path, .. } | Self::Remove { path } | Self::AddDelete { path, .. } => path,
        }
    }
}

/// One clause: a keyword and its comma-separated actions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Clause {
    pub kind: ClauseKind,
    pub actions: Vec<UpdateAction>,
}

/// An UpdateExpression: its clauses in the order written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct UpdateAst(pub Vec<Clause>);

/// A ProjectionExpression: its paths in the order written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ProjectionAst(pub Vec<Path>);

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, elem) in self.0.iter().enumerate() {
            match elem {
                PathElem::Name(n) | PathElem::Placeholder(n) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(n)?;
                }
                PathElem::Index(d) => write!(f, "[{d}]")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Path(p) => p.fmt(f),
            Self::Value(v) => f.write_str(v),
            Self::Call(c) => c.fmt(f),
        }
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.name)?;
        write_list(f, &self.args)?;
        f.write_str(")")
    }
}

fn write_list<T: fmt::Display>(f: &mut fmt::Formatter<'_>, items: &[T]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        item.fmt(f)?;
    }
    Ok(())
}

impl CondExpr {
    /// Binding strength: OR < AND < NOT < a single condition.
    fn precedence(&self) -> u8 {
        match self {
            Self::Or(..) => 1,
            Self::And(..) => 2,
            Self::Not(_) => 3,
            _ => 4,
        }
    }

    fn write_child(&self, f: &mut fmt::Formatter<'_>, child: &CondExpr, strict: bool) -> fmt::Result {
        let own = self.precedence();
        let theirs = child.precedence();
        if theirs < own || (strict && theirs == own) {
            write!(f, "({child})")
        } else {
            child.fmt(f)
        }
    }
}

impl fmt::Display for CondExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The parser flattens a chain, so a child of equal strength was parenthesised.
            Self::Or(operands) | Self::And(operands) => {
                let joiner = if matches!(self, Self::Or(..)) { " OR " } else { " AND " };
                for (i, child) in operands.iter().enumerate() {
                    if i > 0 {
                        f.write_str(joiner)?;
                    }
                    self.write_child(f, child, true)?;
                }
                Ok(())
            }
            Self::Not(a) => {
                f.write_str("NOT ")?;
                self.write_child(f, a, false)
            }
            Self::Compare { op, left, right } => write!(f, "{left} {} {right}", op.symbol()),
            Self::Between { operand, low, high } => write!(f, "{operand} BETWEEN {low} AND {high}"),
            Self::In { operand, list } => {
                write!(f, "{operand} IN (")?;
                write_list(f, list)?;
                f.write_str(")")
            }
            Self::Function(c) => c.fmt(f),
        }
    }
}

impl fmt::Display for SetValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Operand(o) => o.fmt(f),
            Self::Plus(a, b) => write!(f, "{a} + {b}"),
            Self::Minus(a, b) => write!(f, "{a} - {b}"),
        }
    }
}

impl fmt::Display for UpdateAst {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, clause) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{} ", clause.kind.keyword())?;
            for (j, action) in clause.actions.iter().enumerate() {
                if j > 0 {
                    f.write_str(", ")?;
                }
                match action {
                    UpdateAction::Set { path, value } => write!(f, "{path} = {value}")?,
                    UpdateAction::Remove { path } => path.fmt(f)?,
                    UpdateAction::AddDelete { path, value } => write!(f, "{path} {value}")?,
                }
            }
        }
        Ok(())
    }
}

impl fmt::Display for ProjectionAst {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_list(f, &self.0)
    }
}
