//! NoSQL Workbench for DynamoDB's data model files, both ways.
//!
//! The format is the JSON Workbench's data modeler exports and imports (*Exporting a data
//! model* in the DynamoDB developer guide; AWS's sample models are files of it): `ModelName`,
//! `ModelMetadata` (`Author`, `DateCreated`, `DateLastModified`, `Description`, `AWSService`,
//! `Version`), and `DataModel`, a list of tables, each with `TableName`, `KeyAttributes`
//! (`PartitionKey` and an optional `SortKey`, each an `AttributeName` and `AttributeType`),
//! `NonKeyAttributes` (names and types), `TableFacets` (named views of the table: key aliases,
//! the attributes they show, and their own `TableData`), `GlobalSecondaryIndexes` (`IndexName`,
//! `KeyAttributes`, `Projection`), `TableData` (items in DynamoDB JSON), `DataAccess`,
//! `BillingMode` and, when provisioned, `ProvisionedCapacitySettings.ProvisionedThroughput`.
//!
//! - [`export`] writes a table's design (and sample items) as a model;
//! - [`import`] reads a model into the requests that create its tables and write its items.

pub mod export;
pub mod import;

/// `ModelMetadata.AWSService` of a DynamoDB model (Workbench also models Amazon Keyspaces).
pub const AWS_SERVICE: &str = "Amazon DynamoDB";

/// `ModelMetadata.Version` this crate writes: what Workbench 3 writes.
pub const MODEL_VERSION: &str = "3.0";
