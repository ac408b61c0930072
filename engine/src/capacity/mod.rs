//! Capacity units: what each request costs in RCU/WCU, and the `ConsumedCapacity` member that
//! reports it. (Token buckets, partitions and throttling arrive with the capacity simulation.)

pub(crate) mod units;

pub(crate) use units::{read_units, write_units, Consumed, ReturnConsumedCapacity, UnitKind};
