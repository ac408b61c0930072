//! The operations the model generates: one variant per request family, each carrying exactly
//! what the request and the model's prediction need. Values of the TTL attribute are generated
//! as offsets from engine time and made absolute just before the operation runs
//! ([`Op::resolve_expiry`]), so "expires in 3 s" keeps its meaning wherever the operation lands.

use std::collections::BTreeSet;

use crate::schema::{Key, TableId, TTL_ATTRIBUTE};
use crate::values::{Item, Scalar, Spelling, Val};

/// A condition on one non-key attribute, used as ConditionExpression, FilterExpression,
/// legacy `Expected` and PartiQL WHERE alike.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    /// `attribute_exists(#c)`
    Exists(&'static str),
    /// `attribute_not_exists(#c)`
    NotExists(&'static str),
    /// `#c < :c` on `qty`
    QtyBelow(i64),
    /// `#c = :c` on `done`
    DoneIs(bool),
    /// `begins_with(#c, :c)` on `title`
    TitleBegins(String),
}

impl Cond {
    /// The attribute the condition reads.
    pub fn attribute(&self) -> &'static str {
        match self {
            Cond::Exists(a) | Cond::NotExists(a) => a,
            Cond::QtyBelow(_) => "qty",
            Cond::DoneIs(_) => "done",
            Cond::TitleBegins(_) => "title",
        }
    }

    /// Whether the condition holds on `item` (a missing item has no attributes).
    pub fn holds(&self, item: Option<&Item>) -> bool {
        let value = item.and_then(|i| i.get(self.attribute()));
        match self {
            Cond::Exists(_) => value.is_some(),
            Cond::NotExists(_) => value.is_none(),
            Cond::QtyBelow(limit) => matches!(value, Some(Val::N(q)) if q < limit),
            Cond::DoneIs(b) => value == Some(&Val::Bool(*b)),
            Cond::TitleBegins(prefix) => matches!(value, Some(Val::S(s)) if s.starts_with(prefix.as_str())),
        }
    }
}

/// One action of an UpdateExpression.
#[derive(Clone, Debug, PartialEq)]
pub enum UpdateAction {
    /// `SET #a = :v`
    Set(&'static str, Val),
    /// `SET #a = if_not_exists(#a, :v)`
    SetIfMissing(&'static str, Val),
    /// `ADD #n :inc` on `qty`
    Add(i64),
    /// `SET #n = #n + :inc` on `qty` (an error when `qty` is missing)
    SetPlus(i64),
    /// `ADD #t :s` on the string set `tags`
    AddTags(BTreeSet<String>),
    /// `DELETE #t :s` on `tags`
    DeleteTags(BTreeSet<String>),
    /// `SET #p = list_append(#p, :l)` (an error when `parts` is missing), or guarded with
    /// `if_not_exists(#p, :empty)`
    AppendParts { values: Vec<Val>, guarded: bool },
    /// `REMOVE #a`
    Remove(&'static str),
}

impl UpdateAction {
    /// The attribute the action writes (two actions on one attribute overlap).
    pub fn attribute(&self) -> &'static str {
        match self {
            UpdateAction::Set(a, _) | UpdateAction::SetIfMissing(a, _) | UpdateAction::Remove(a) => a,
            UpdateAction::Add(_) | UpdateAction::SetPlus(_) => "qty",
            UpdateAction::AddTags(_) | UpdateAction::DeleteTags(_) => "tags",
            UpdateAction::AppendParts { .. } => "parts",
        }
    }
}

/// What UpdateItem returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnValues {
    None,
    AllOld,
    UpdatedOld,
    AllNew,
    UpdatedNew,
}

impl ReturnValues {
    pub fn wire(self) -> Option<&'static str> {
        match self {
            ReturnValues::None => None,
            ReturnValues::AllOld => Some("ALL_OLD"),
            ReturnValues::UpdatedOld => Some("UPDATED_OLD"),
            ReturnValues::AllNew => Some("ALL_NEW"),
            ReturnValues::UpdatedNew => Some("UPDATED_NEW"),
        }
    }
}

/// A condition on the sort key of a table or index (values of the sort key's type).
#[derive(Clone, Debug, PartialEq)]
pub enum SortCond {
    Eq(Scalar),
    Lt(Scalar),
    Le(Scalar),
    Gt(Scalar),
    Ge(Scalar),
    Between(Scalar, Scalar),
    /// Strings only.
    BeginsWith(String),
}

impl SortCond {
    pub fn holds(&self, v: &Scalar) -> bool {
        match self {
            SortCond::Eq(a) => v == a,
            SortCond::Lt(a) => v < a,
            SortCond::Le(a) => v <= a,
            SortCond::Gt(a) => v > a,
            SortCond::Ge(a) => v >= a,
            SortCond::Between(a, b) => a <= v && v <= b,
            SortCond::BeginsWith(p) => matches!(v, Scalar::S(s) if s.starts_with(p.as_str())),
        }
    }

    fn scalars_mut(&mut self) -> Vec<&mut Scalar> {
        match self {
            SortCond::Eq(a) | SortCond::Lt(a) | SortCond::Le(a) | SortCond::Gt(a) | SortCond::Ge(a) => {
                vec![a]
            }
            SortCond::Between(a, b) => vec![a, b],
            SortCond::BeginsWith(_) => vec![],
        }
    }
}

/// A Query of a table or one of its indexes.
#[derive(Clone, Debug)]
pub struct QueryOp {
    pub table: TableId,
    pub index: Option<&'static str>,
    pub hash: Scalar,
    /// Values of a multi-attribute key's further HASH attributes.
    pub more_hash: Vec<Scalar>,
    /// Of a multi-attribute sort key: equalities on its first RANGE attributes; `sort` is
    /// then the condition on the next one.
    pub sort_prefix: Vec<Scalar>,
    pub sort: Option<SortCond>,
    pub forward: bool,
    pub limit: Option<usize>,
    pub filter: Option<Cond>,
    /// ProjectionExpression attributes; empty means none.
    pub projection: Vec<&'static str>,
    /// `Select: ALL_ATTRIBUTES`.
    pub select_all: bool,
    /// `Select: COUNT`.
    pub count: bool,
    pub consistent: bool,
    pub spelling: Spelling,
    /// Written with KeyConditions / QueryFilter instead of expressions (tables only).
    pub legacy: bool,
}

/// A Scan of a table or one of its indexes.
#[derive(Clone, Debug)]
pub struct ScanOp {
    pub table: TableId,
    pub index: Option<&'static str>,
    pub limit: Option<usize>,
    /// `TotalSegments` of a parallel scan.
    pub segments: Option<u32>,
    pub filter: Option<Cond>,
    /// `Select: COUNT`.
    pub count: bool,
    /// The filter written as the legacy `ScanFilter`.
    pub legacy: bool,
}

/// One request of a BatchWriteItem.
#[derive(Clone, Debug)]
pub enum BatchWrite {
    Put(Item),
    Delete(Key),
}

/// One action of a TransactWriteItems.
#[derive(Clone, Debug)]
pub enum TxAction {
    Put { item: Item, cond: Option<Cond> },
    Update { key: Key, actions: Vec<UpdateAction>, cond: Option<Cond> },
    Delete { key: Key, cond: Option<Cond> },
    Check { key: Key, cond: Cond },
}

/// The `ClientRequestToken` of a TransactWriteItems.
#[derive(Clone, Copy, Debug)]
pub enum Token {
    /// A token no call has used.
    Fresh,
    /// One of a few fixed tokens, so a new request often meets one a call used.
    Reused(&'static str),
}

/// `RETURNING` of a PartiQL UPDATE.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Returning {
    AllOld,
    ModifiedOld,
    AllNew,
    ModifiedNew,
}

/// A PartiQL statement.
#[derive(Clone, Debug)]
pub enum Statement {
    Insert {
        table: TableId,
        item: Item,
    },
    Update {
        table: TableId,
        key: Key,
        /// SET a = v (`Some`) or REMOVE a (`None`), on distinct attributes.
        actions: Vec<(&'static str, Option<Val>)>,
        cond: Option<Cond>,
        returning: Option<Returning>,
    },
    Delete {
        table: TableId,
        key: Key,
        cond: Option<Cond>,
        returning_old: bool,
    },
    Select {
        table: TableId,
        index: Option<&'static str>,
        /// The partition key value (a Query); `None` scans.
        hash: Option<Scalar>,
        sort: Option<SortCond>,
        filter: Option<Cond>,
        /// Projected attributes; empty is `SELECT *`.
        projection: Vec<&'static str>,
        descending: bool,
    },
}

/// How a step moves engine time.
#[derive(Clone, Copy, Debug)]
pub enum Clock {
    /// `Engine::advance`
    Advance,
    /// `Engine::set_now`
    SetNow,
    /// The `PlaygroundAdvanceTime` request.
    Request,
}

/// One step of a run.
#[derive(Clone, Debug)]
pub enum Op {
    Put {
        table: TableId,
        item: Item,
        cond: Option<Cond>,
        return_old: bool,
        /// `ReturnValuesOnConditionCheckFailure: ALL_OLD`
        old_on_failure: bool,
        spelling: Spelling,
        /// Written with the legacy `Expected` instead of a ConditionExpression.
        legacy: bool,
    },
    Get {
        table: TableId,
        key: Key,
        projection: Vec<&'static str>,
        consistent: bool,
        spelling: Spelling,
        /// The projection written as the legacy `AttributesToGet`.
        legacy: bool,
    },
    Delete {
        table: TableId,
        key: Key,
        cond: Option<Cond>,
        return_old: bool,
        old_on_failure: bool,
        spelling: Spelling,
        /// The condition written as the legacy `Expected`.
        legacy: bool,
    },
    Update {
        table: TableId,
        key: Key,
        actions: Vec<UpdateAction>,
        cond: Option<Cond>,
        return_values: ReturnValues,
        old_on_failure: bool,
        spelling: Spelling,
        /// Written with the legacy `AttributeUpdates` and `Expected` where the actions allow.
        legacy: bool,
    },
    Query(QueryOp),
    Scan(ScanOp),
    BatchWrite(Vec<(TableId, BatchWrite)>),
    BatchGet {
        keys: Vec<(TableId, Key)>,
        /// Per table (by `TableId as usize`): ProjectionExpression attributes and ConsistentRead.
        options: [(Vec<&'static str>, bool); 3],
    },
    TransactWrite {
        actions: Vec<(TableId, TxAction)>,
        old_on_failure: bool,
        token: Option<Token>,
    },
    /// The last TransactWriteItems sent again, token and all (a client's retry).
    RepeatTransaction,
    /// UpdateTable creating the online index of `Hash` when it has none, deleting it otherwise.
    ToggleOnlineIndex,
    TransactGet(Vec<(TableId, Key, Vec<&'static str>)>),
    ExecuteStatement {
        statement: Statement,
        /// `Limit` of a SELECT, paged through with NextToken.
        limit: Option<usize>,
        /// Values passed as `?` parameters rather than literals.
        parameters: bool,
    },
    BatchExecuteStatement {
        statements: Vec<Statement>,
        parameters: bool,
    },
    ExecuteTransaction {
        statements: Vec<Statement>,
        parameters: bool,
    },
    AdvanceTime {
        ms: u64,
        clock: Clock,
    },
}

/// Makes an item's TTL attribute absolute: generated as an offset (tenths of a second) from now.
fn resolve_item(item: &mut Item, now_tenths: i64) {
    if let Some(Val::N(offset)) = item.get_mut(TTL_ATTRIBUTE) {
        *offset += now_tenths;
    }
}

fn resolve_action(action: &mut UpdateAction, now_tenths: i64) {
    if let UpdateAction::Set(TTL_ATTRIBUTE, Val::N(offset))
    | UpdateAction::SetIfMissing(TTL_ATTRIBUTE, Val::N(offset)) = action
    {
        *offset += now_tenths;
    }
}

fn resolve_statement(statement: &mut Statement, now_tenths: i64) {
    match statement {
        Statement::Insert { item, .. } => resolve_item(item, now_tenths),
        Statement::Update { actions, .. } => {
            for (name, value) in actions {
                if let (&mut TTL_ATTRIBUTE, Some(Val::N(offset))) = (name, value) {
                    *offset += now_tenths;
                }
            }
        }
        Statement::Delete { .. } => {}
        Statement::Select { table, index, sort, .. } => {
            resolve_sort(*table, *index, sort.as_mut(), now_tenths)
        }
    }
}

/// A sort-key condition on the TTL attribute (an index sorted by expiry) is relative too.
fn resolve_sort(table: TableId, index: Option<&str>, sort: Option<&mut SortCond>, now_tenths: i64) {
    let range = match index {
        Some(name) => table.def().index(name).range,
        None => table.def().range,
    };
    if range == Some(TTL_ATTRIBUTE) {
        for scalar in sort.into_iter().flat_map(SortCond::scalars_mut) {
            if let Scalar::N(offset) = scalar {
                *offset += now_tenths;
            }
        }
    }
}

impl Op {
    /// Makes every TTL value in the operation absolute at engine time `now_ms`.
    pub fn resolve_expiry(&mut self, now_ms: u64) {
        let now = i64::try_from(now_ms / 100).unwrap_or(i64::MAX);
        match self {
            Op::Put { item, .. } => resolve_item(item, now),
            Op::Update { actions, .. } => actions.iter_mut().for_each(|a| resolve_action(a, now)),
            Op::Query(q) => resolve_sort(q.table, q.index, q.sort.as_mut(), now),
            Op::BatchWrite(requests) => {
                for (_, request) in requests {
                    if let BatchWrite::Put(item) = request {
                        resolve_item(item, now);
                    }
                }
            }
            Op::TransactWrite { actions, .. } => {
                for (_, action) in actions {
                    match action {
                        TxAction::Put { item, .. } => resolve_item(item, now),
                        TxAction::Update { actions, .. } => {
                            actions.iter_mut().for_each(|a| resolve_action(a, now))
                        }
                        TxAction::Delete { .. } | TxAction::Check { .. } => {}
                    }
                }
            }
            Op::ExecuteStatement { statement, .. } => resolve_statement(statement, now),
            Op::BatchExecuteStatement { statements, .. } | Op::ExecuteTransaction { statements, .. } => {
                statements.iter_mut().for_each(|s| resolve_statement(s, now))
            }
            Op::Get { .. }
            | Op::Delete { .. }
            | Op::Scan(_)
            | Op::BatchGet { .. }
            | Op::TransactGet(_)
            | Op::RepeatTransaction
            | Op::ToggleOnlineIndex
            | Op::AdvanceTime { .. } => {}
        }
    }

    /// The tables the operation may change (all of them when time moves: TTL deletes).
    pub fn writes(&self) -> Vec<TableId> {
        let mut tables: Vec<TableId> = match self {
            Op::Put { table, .. } | Op::Delete { table, .. } | Op::Update { table, .. } => vec![*table],
            Op::BatchWrite(requests) => requests.iter().map(|(t, _)| *t).collect(),
            Op::TransactWrite { actions, .. } => actions.iter().map(|(t, _)| *t).collect(),
            Op::ExecuteStatement { statement, .. } => statement_writes(statement).into_iter().collect(),
            Op::BatchExecuteStatement { statements, .. } | Op::ExecuteTransaction { statements, .. } => {
                statements.iter().filter_map(statement_writes).collect()
            }
            Op::AdvanceTime { .. } | Op::RepeatTransaction => crate::schema::TABLE_IDS.to_vec(),
            Op::ToggleOnlineIndex => vec![crate::schema::ONLINE_TABLE],
            Op::Get { .. } | Op::Query(_) | Op::Scan(_) | Op::BatchGet { .. } | Op::TransactGet(_) => vec![],
        };
        tables.sort();
        tables.dedup();
        tables
    }
}

fn statement_writes(statement: &Statement) -> Option<TableId> {
    match statement {
        Statement::Insert { table, .. }
        | Statement::Update { table, .. }
        | Statement::Delete { table, .. } => Some(*table),
        Statement::Select { .. } => None,
    }
}
