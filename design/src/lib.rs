//! # dynaplay-design
//!
//! Taking a table designed in the playground to AWS, and bringing a design in: platform-free,
//! so the page (its on-demand module), the server and the tests run the same code.
//!
//! - [`table`] reads a [`TableDesign`] from what DescribeTable, DescribeTimeToLive,
//!   ListTagsOfResource and DescribeContinuousBackups answer;
//! - [`cloudformation`] (YAML and JSON), [`cdk`] (TypeScript, aws-cdk-lib) and [`terraform`]
//!   (`aws_dynamodb_table`) write it as infrastructure code; [`workbench::export`] as a NoSQL
//!   Workbench data model with sample items;
//! - [`workbench::import`] reads a Workbench model into the requests that create its tables and
//!   write its items;
//! - [`s3_export`] writes items as DynamoDB's export to S3 writes them, and [`zip`] puts those
//!   files in one archive.
//!
//! ```
//! use dynaplay_design::{Format, TableDesign, table::Descriptions};
//! use serde_json::json;
//!
//! let described = json!({"Table": {
//!     "TableName": "Music",
//!     "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}],
//!     "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}],
//!     "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"}}});
//! let design = TableDesign::from_descriptions(Descriptions { table: Some(&described), ..Default::default() }).unwrap();
//! let yaml = Format::CloudFormationYaml.generate(&design);
//! assert!(yaml.contains("Type: AWS::DynamoDB::Table"));
//! assert!(yaml.contains("BillingMode: PAY_PER_REQUEST"));
//! assert!(!yaml.contains("GlobalSecondaryIndexes"), "nothing the table does not have");
//! ```

// Test code never ships: the bundle rules (the root clippy.toml) bind only what does.
#![cfg_attr(test, allow(clippy::disallowed_methods))]

pub mod cdk;
pub mod cloudformation;
pub mod doc;
pub mod names;
pub mod s3_export;
pub mod samples;
pub mod table;
pub mod terraform;
pub mod workbench;
pub mod zip;

pub use table::{DesignError, TableDesign};

/// The infrastructure-code formats a design is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// AWS CloudFormation, YAML.
    CloudFormationYaml,
    /// AWS CloudFormation, JSON.
    CloudFormationJson,
    /// AWS CDK v2, TypeScript.
    Cdk,
    /// Terraform, the AWS provider's `aws_dynamodb_table`.
    Terraform,
}

impl Format {
    /// Every format, in the order the page shows them.
    pub const ALL: [Format; 4] =
        [Format::CloudFormationYaml, Format::CloudFormationJson, Format::Cdk, Format::Terraform];

    /// What the page calls it.
    pub fn label(self) -> &'static str {
        match self {
            Format::CloudFormationYaml => "CloudFormation (YAML)",
            Format::CloudFormationJson => "CloudFormation (JSON)",
            Format::Cdk => "AWS CDK (TypeScript)",
            Format::Terraform => "Terraform",
        }
    }

    /// A short id for element ids and test hooks.
    pub fn slug(self) -> &'static str {
        match self {
            Format::CloudFormationYaml => "cfn-yaml",
            Format::CloudFormationJson => "cfn-json",
            Format::Cdk => "cdk",
            Format::Terraform => "terraform",
        }
    }

    /// The file a download is saved as, for table `name`.
    pub fn file_name(self, name: &str) -> String {
        match self {
            Format::CloudFormationYaml => format!("{name}.template.yaml"),
            Format::CloudFormationJson => format!("{name}.template.json"),
            Format::Cdk => format!("{}.ts", names::stack_class(name)),
            Format::Terraform => format!("{name}.tf"),
        }
    }

    /// The download's media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::CloudFormationYaml => "application/yaml",
            Format::CloudFormationJson => "application/json",
            Format::Cdk => "text/plain",
            Format::Terraform => "text/plain",
        }
    }

    /// The design in this format.
    pub fn generate(self, design: &TableDesign) -> String {
        match self {
            Format::CloudFormationYaml => cloudformation::yaml(design),
            Format::CloudFormationJson => cloudformation::json(design),
            Format::Cdk => cdk::typescript(design),
            Format::Terraform => terraform::hcl(design),
        }
    }
}
