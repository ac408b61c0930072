//! Capacity: what each request costs in RCU/WCU (`units`), the token buckets and admission
//! rule that may throttle it (`bucket`, `resource`, `on_demand`), where every request is
//! charged (`admission`), and the per-second metrics the playground draws (`metrics`).

pub(crate) mod admission;
pub(crate) mod bucket;
pub(crate) mod metrics;
pub(crate) mod on_demand;
pub(crate) mod resource;
pub(crate) mod units;

pub(crate) use units::{
    read_units, write_units, Consumed, ConsumedByTable, ReturnConsumedCapacity, UnitKind,
};
