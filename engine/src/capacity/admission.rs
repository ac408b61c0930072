//! Where requests are charged. Every data-plane operation computes what it will consume
//! *before* changing anything, turns that into [`Charge`]s (the table's partition, and for a
//! write each GSI partition its index entry moves in or out of), and calls [`admit`]. Only if
//! every charge is admitted does the operation commit; otherwise all charges already taken are
//! refunded and the caller answers with [`throttle_error`] (or, in a batch, returns the item
//! unprocessed). PartiQL runs through the same operations, so it is charged the same way and
//! exactly once. LSIs share their table's partitions and capacity, so their units are charged
//! on the table.

use std::cell::Cell;

use serde_json::{json, Value};

use super::bucket::MICRO;
use super::resource::{Access, Limit, Mode, Receipt, Resource};
use crate::error::{ApiError, ErrorKind};
use crate::explain::trace::{AdmitStep, Refusal, Verdict};
use crate::ops::request::Env;
use crate::table::{BillingMode, IndexKind, Table};
use crate::types::KeyValue;

/// Which resource of a table a charge lands on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum On {
    Table,
    /// A GSI, by position in `Table::indexes`.
    Index(usize),
}

/// Capacity a request wants on one partition.
#[derive(Clone, Debug)]
pub(crate) struct Charge {
    pub on: On,
    pub access: Access,
    /// The partition key's token on that resource (table key, or GSI key).
    pub token: u64,
    pub key: KeyValue,
    /// Units × 1,000,000.
    pub micro: i64,
}

impl Charge {
    /// A charge of `units` (a float from the unit arithmetic, always a multiple of 0.5).
    pub fn new(on: On, access: Access, token: u64, key: KeyValue, units: f64) -> Self {
        Self { on, access, token, key, micro: (units * MICRO as f64).round() as i64 }
    }
}

/// Why a request was throttled.
#[derive(Clone, Debug)]
pub(crate) struct Throttle {
    pub on: On,
    pub access: Access,
    pub limit: Limit,
}

/// Charges admitted so far, for refunds.
pub(crate) type Receipts = Vec<(On, Receipt)>;

/// The billing mode of a resource.
pub(crate) fn mode_of(table: &Table, on: On) -> Mode {
    let billing = match on {
        On::Table => table.billing,
        On::Index(i) => table.indexes.get(i).and_then(|x| x.throughput).unwrap_or(BillingMode::PayPerRequest),
    };
    match billing {
        BillingMode::Provisioned { read, write } => Mode::Provisioned { read, write },
        BillingMode::PayPerRequest => Mode::OnDemand,
    }
}

/// The capacity state of a resource.
pub(crate) fn resource_mut(table: &mut Table, on: On) -> Option<&mut Resource> {
    match on {
        On::Table => Some(&mut table.items.capacity),
        On::Index(i) => table.indexes.get_mut(i).map(|x| &mut x.entries.capacity),
    }
}

/// What a maintenance of the partition layout goes by.
///
/// Splits for size, and for provisioned throughput, follow from the data and the table's
/// settings alone, so replaying the journal makes them again at the same requests. Splits
/// that follow *traffic* — on-demand growth past the initial allowance, adaptive capacity
/// isolating a hot item — depend on reads and throttled requests the journal does not keep:
/// live they happen and are counted in `adaptive` (the engine's background changes, so a
/// journaling host stores a snapshot), and during a replay (`adaptive: None`) they never do.
#[derive(Clone, Copy)]
pub(crate) struct Layout<'a> {
    pub now: u64,
    pub size_limit: u64,
    pub adaptive: Option<&'a Cell<u64>>,
}

/// Brings a resource's partitions in line with its billing, its OnDemandThroughput and warm
/// throughput, and the size limit.
pub(crate) fn maintain(table: &mut Table, on: On, layout: Layout<'_>) {
    let mode = mode_of(table, on);
    let (max, warm) = match on {
        On::Table => (table.control.max_on_demand, table.control.warm),
        On::Index(i) => match table.indexes.get(i) {
            Some(x) => (x.control.max_on_demand, x.control.warm),
            None => return,
        },
    };
    if let Some(resource) = resource_mut(table, on) {
        // Warm throughput asked for (and kept from before a billing change) shapes the
        // partitions; the base (provisioned units, the on-demand allowance) already does.
        let warm = (warm.read.max(warm.floor.0), warm.write.max(warm.floor.1));
        resource.set_settings((max.read, max.write), warm, layout.now);
    }
    match on {
        On::Table => table.items.maintain(mode, layout),
        On::Index(i) => {
            if let Some(index) = table.indexes.get_mut(i) {
                index.entries.maintain(mode, layout);
            }
        }
    }
}

/// Maintains the table and every GSI (after writes, and before the views read them).
pub(crate) fn maintain_all(table: &mut Table, layout: Layout<'_>) {
    maintain(table, On::Table, layout);
    for i in 0..table.indexes.len() {
        if table.indexes[i].kind == IndexKind::Global {
            maintain(table, On::Index(i), layout);
        }
    }
}

/// Makes, at once, the splits a committed change calls for on the table and its GSIs (see
/// `Resource::settle`).
pub(crate) fn settle(table: &mut Table, now: u64) {
    let mode = mode_of(table, On::Table);
    table.items.settle(mode, now);
    for i in 0..table.indexes.len() {
        if table.indexes[i].kind == IndexKind::Global {
            let mode = mode_of(table, On::Index(i));
            table.indexes[i].entries.settle(mode, now);
        }
    }
}

/// Admits all of `charges` or none, judging each resource on its state before the request.
/// On refusal the charges taken are refunded, the throttle
/// event is counted on the partition that refused, and the reason is returned.
pub(crate) fn admit(table: &mut Table, env: &Env<'_>, charges: &[Charge]) -> Result<Receipts, Throttle> {
    admit_after(table, env, charges, &[])
}

/// [`admit`] for a request that already took `prior` on this table (a transaction's earlier
/// actions).
pub(crate) fn admit_after(
    table: &mut Table,
    env: &Env<'_>,
    charges: &[Charge],
    prior: &[(On, Receipt)],
) -> Result<Receipts, Throttle> {
    let now = env.now;
    let mut receipts: Receipts = Vec::with_capacity(charges.len());
    for charge in charges {
        maintain(table, charge.on, env.layout());
        let earlier: Vec<Receipt> =
            prior.iter().chain(&receipts).filter(|(on, _)| *on == charge.on).map(|(_, r)| *r).collect();
        let Some(resource) = resource_mut(table, charge.on) else { continue };
        let outcome =
            resource.try_charge(now, charge.access, charge.token, charge.micro, &earlier, env.throttling);
        note_verdict(table, env, charge, &outcome);
        match outcome {
            Ok(receipt) => receipts.push((charge.on, receipt)),
            Err(refusal) => {
                if let Some(resource) = resource_mut(table, charge.on) {
                    resource.note_throttle(now, charge.access, charge.token, &charge.key);
                }
                refund(table, receipts);
                return Err(Throttle { on: charge.on, access: charge.access, limit: refusal.limit() });
            }
        }
    }
    for charge in charges {
        if let Some(resource) = resource_mut(table, charge.on) {
            resource.note_access(now, charge.token, &charge.key, charge.micro);
        }
    }
    Ok(receipts)
}

/// Notes a charge's verdict in the request's trace ("why?" explanations), with the figures
/// it was judged on.
fn note_verdict(table: &Table, env: &Env<'_>, charge: &Charge, outcome: &Result<Receipt, Refusal>) {
    let resource = match charge.on {
        On::Table => Some(&table.items.capacity),
        On::Index(i) => table.indexes.get(i).map(|x| &x.entries.capacity),
    };
    let Some(resource) = resource else { return };
    // Everything is computed inside the closure, which runs only while a request is traced.
    env.trace.admit(&table.name, |t| {
        let (position, partition_id, verdict) = match outcome {
            Ok(receipt) => {
                let (position, id) = resource.receipt_partition(receipt);
                (position, id, resource.verdict(receipt))
            }
            Err(refusal) => {
                let position = resource.partitions.index_of(charge.token);
                let id = resource.partitions.parts.get(position).map_or(0, |p| p.id);
                (position, id, Verdict::Refused(refusal.clone()))
            }
        };
        AdmitStep {
            table: t,
            index: match charge.on {
                On::Table => None,
                On::Index(i) => table.indexes.get(i).map(|x| x.name.clone()),
            },
            access: charge.access,
            micro: charge.micro,
            partition_id,
            position,
            partitions: resource.partitions.parts.len(),
            verdict,
        }
    });
}

/// Gives back admitted charges.
pub(crate) fn refund(table: &mut Table, receipts: Receipts) {
    for (on, receipt) in receipts.into_iter().rev() {
        if let Some(resource) = resource_mut(table, on) {
            resource.refund(receipt);
        }
    }
}

/// Counts one throttled API request on the table.
pub(crate) fn note_throttled_request(table: &mut Table, now: u64) {
    table.items.capacity.note_throttled_request(now);
}

/// Refreshes item-count and size gauges after a committed write.
pub(crate) fn after_write(table: &mut Table, now: u64, charges: &[Charge]) {
    for charge in charges {
        if let Some(resource) = resource_mut(table, charge.on) {
            resource.touch(now, charge.token);
        }
    }
}

const PROVISIONED_TABLE: &str = "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.";
const PROVISIONED_INDEX: &str = "The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API";
const ON_DEMAND_TABLE: &str = "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html";
const ON_DEMAND_INDEX: &str = "Throughput exceeds the current capacity for one or more global secondary indexes. DynamoDB is automatically scaling your index so please try again shortly.";

/// Not recorded: DynamoDB's text for a request over an OnDemandThroughput maximum (the
/// reason, `…MaxOnDemandThroughputExceeded`, is documented). In the style of the others.
const MAX_ON_DEMAND_TABLE: &str = "Throughput exceeds the maximum on-demand throughput (OnDemandThroughput) configured for the table. Raise the maximum with the UpdateTable API, or try again later.";
const MAX_ON_DEMAND_INDEX: &str = "Throughput exceeds the maximum on-demand throughput (OnDemandThroughput) configured for one or more global secondary indexes of the table. Raise the maximum with the UpdateTable API, or try again later.";

/// Whether the throttled resource is billed on demand, and its message.
fn message(table: &Table, throttle: &Throttle) -> (bool, &'static str) {
    let on_demand = mode_of(table, throttle.on) == Mode::OnDemand;
    if throttle.limit == Limit::MaxOnDemand {
        let text = if throttle.on == On::Table { MAX_ON_DEMAND_TABLE } else { MAX_ON_DEMAND_INDEX };
        return (true, text);
    }
    let message = match (on_demand, throttle.on) {
        (false, On::Table) => PROVISIONED_TABLE,
        (false, On::Index(_)) => PROVISIONED_INDEX,
        (true, On::Table) => ON_DEMAND_TABLE,
        (true, On::Index(_)) => ON_DEMAND_INDEX,
    };
    (on_demand, message)
}

/// The `ThrottlingReasons` member: `ResourceType + OperationType + LimitType` and the ARN.
fn reasons(table: &Table, throttle: &Throttle, region: &str, account: &str) -> Value {
    let arn = table.arn(region, account);
    let (resource, arn) = match throttle.on {
        On::Table => ("Table", arn),
        On::Index(i) => {
            let name = table.indexes.get(i).map_or("", |x| x.name.as_str());
            ("Index", format!("{arn}/index/{name}"))
        }
    };
    let access = match throttle.access {
        Access::Read => "Read",
        Access::Write => "Write",
    };
    let limit = match throttle.limit {
        Limit::KeyRange => "KeyRangeThroughputExceeded",
        Limit::Provisioned => "ProvisionedThroughputExceeded",
        Limit::Account => "AccountLimitExceeded",
        Limit::MaxOnDemand => "MaxOnDemandThroughputExceeded",
    };
    json!([{ "reason": format!("{resource}{access}{limit}"), "resource": arn }])
}

/// The error a throttled request answers with: ProvisionedThroughputExceededException on a
/// provisioned table, ThrottlingException on demand, each naming the GSI variant when a GSI
/// refused, with `ThrottlingReasons`.
pub(crate) fn throttle_error(table: &Table, throttle: &Throttle, region: &str, account: &str) -> ApiError {
    let (on_demand, text) = message(table, throttle);
    let kind = if on_demand { ErrorKind::Throttling } else { ErrorKind::ProvisionedThroughputExceeded };
    ApiError::new(kind, text).with("ThrottlingReasons", reasons(table, throttle, region, account))
}

/// A transaction's cancellation reason for a throttled action: (code, message).
pub(crate) fn cancellation_reason(table: &Table, throttle: &Throttle) -> (&'static str, String) {
    let (on_demand, text) = message(table, throttle);
    if on_demand {
        // The cancellation-reason list documents this text with a final period.
        let text = if throttle.on == On::Table { format!("{ON_DEMAND_TABLE}.") } else { text.to_owned() };
        ("ThrottlingError", text)
    } else {
        ("ProvisionedThroughputExceeded", text.to_owned())
    }
}
