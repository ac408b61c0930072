//! Request shapes several operations share (each operation's own schema is its `SCHEMA`,
//! beside its handler in `ops/<operation>.rs`), and what a schema is written with: a schema
//! brings it all in with `use crate::validate::shapes::*;` inside its own initialiser, so the
//! short names (`Str`, `Map`, `NotNull`…) never meet the module's other imports.

pub(crate) use super::Rule::*;
pub(crate) use super::Shape::*;
pub(crate) use super::{field, Field, Rule};

pub(crate) const NAME_RULES: &[Rule] = &[NamePattern, MinLength(3), MaxLength(255)];

/// Data-plane operations also accept table ARNs, so the model asks for 1–255 characters; a
/// name shorter than 3 is refused only once everything else is valid.
pub(crate) const TABLE_NAME_RULES: &[Rule] =
    &[NotNull, NamePattern, MinLength(1), MaxLength(255), DeferredMinLength(3)];

pub(crate) const COMPARISON_OPERATORS: &[&str] = &[
    "IN",
    "NULL",
    "BETWEEN",
    "LT",
    "NOT_CONTAINS",
    "EQ",
    "GT",
    "NOT_NULL",
    "NE",
    "LE",
    "BEGINS_WITH",
    "GE",
    "CONTAINS",
];

pub(crate) const SELECT: &[&str] =
    &["SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"];

pub(crate) const RETURN_VALUES: &[&str] = &["ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"];

pub(crate) const RETURN_CONSUMED_CAPACITY: Field =
    field("ReturnConsumedCapacity", Str, &[Enum(&["INDEXES", "TOTAL", "NONE"])]);

pub(crate) const RETURN_ITEM_COLLECTION_METRICS: Field =
    field("ReturnItemCollectionMetrics", Str, &[Enum(&["SIZE", "NONE"])]);

pub(crate) const RETURN_VALUES_FIELD: Field = field("ReturnValues", Str, &[Enum(RETURN_VALUES)]);

pub(crate) const RETURN_VALUES_ON_CONDITION_CHECK_FAILURE: Field =
    field("ReturnValuesOnConditionCheckFailure", Str, &[Enum(&["ALL_OLD", "NONE"])]);

pub(crate) const TABLE_NAME: Field = field("TableName", Str, TABLE_NAME_RULES);

pub(crate) const CONDITIONAL_OPERATOR: Field = field("ConditionalOperator", Str, &[Enum(&["OR", "AND"])]);

pub(crate) const EXPRESSION_ATTRIBUTE_VALUES: Field =
    field("ExpressionAttributeValues", Map(&AttributeValue), &[]);

pub(crate) const EXPRESSION_ATTRIBUTE_NAMES: Field = field("ExpressionAttributeNames", Map(&Str), &[]);

pub(crate) const ATTRIBUTES_TO_GET: Field =
    field("AttributesToGet", List(&Str), &[MinLength(1), MaxLength(255)]);

pub(crate) const EXPECTED_ATTRIBUTE_VALUE: &[Field] = &[
    field("AttributeValueList", List(&AttributeValue), &[]),
    field("ComparisonOperator", Str, &[Enum(COMPARISON_OPERATORS)]),
    field("Exists", Bool, &[]),
    field("Value", AttributeValue, &[]),
];

pub(crate) const EXPECTED: Field =
    field("Expected", Map(&Struct("ExpectedAttributeValue", EXPECTED_ATTRIBUTE_VALUE)), &[]);

pub(crate) const CONDITION: &[Field] = &[
    field("AttributeValueList", List(&AttributeValue), &[]),
    field("ComparisonOperator", Str, &[NotNull, Enum(COMPARISON_OPERATORS)]),
];

pub(crate) const PROVISIONED_THROUGHPUT: &[Field] = &[
    field("WriteCapacityUnits", Long, &[NotNull, Min(1)]),
    field("ReadCapacityUnits", Long, &[NotNull, Min(1)]),
];

pub(crate) const ATTRIBUTE_DEFINITION: &[Field] = &[
    field("AttributeName", Str, &[NotNull, MinLength(1), MaxLength(255)]),
    field("AttributeType", Str, &[NotNull, Enum(&["B", "N", "S"])]),
];

pub(crate) const KEY_SCHEMA_ELEMENT: &[Field] = &[
    field("AttributeName", Str, &[NotNull, MinLength(1), MaxLength(255)]),
    field("KeyType", Str, &[NotNull, Enum(&["HASH", "RANGE"])]),
];

pub(crate) const PROJECTION: &[Field] = &[
    field("ProjectionType", Str, &[Enum(&["ALL", "INCLUDE", "KEYS_ONLY"])]),
    field("NonKeyAttributes", List(&Str), &[MinLength(1), MaxLength(20)]),
];

/// A vector index's definition: CreateTable's `VectorIndex`, UpdateTable's
/// `CreateVectorIndexAction`.
pub(crate) const VECTOR_INDEX: &[Field] = &[
    field("IndexName", Str, &[NotNull, NamePattern, MinLength(3), MaxLength(255)]),
    field(
        "VectorAttribute",
        Struct(
            "VectorAttributeDefinition",
            &[field("AttributeName", Str, &[NotNull, MinLength(1), MaxLength(255)])],
        ),
        &[NotNull],
    ),
    field(
        "SearchSchema",
        List(&Struct(
            "SearchSchemaElement",
            &[
                field("AttributeName", Str, &[NotNull, MaxLength(65535)]),
                field("SearchSchemaElementType", Str, &[NotNull, Enum(&["HASH", "INLINE_FILTER"])]),
            ],
        )),
        &[MinLength(1)],
    ),
    field("Projection", Struct("Projection", PROJECTION), &[NotNull]),
    field("Dimensions", Long, &[NotNull, Min(1)]),
    field("DistanceFunction", Str, &[NotNull, Enum(&["COSINE", "DOT_PRODUCT", "EUCLIDEAN"])]),
];

pub(crate) const ON_DEMAND_THROUGHPUT: &[Field] =
    &[field("MaxReadRequestUnits", Long, &[]), field("MaxWriteRequestUnits", Long, &[])];

pub(crate) const WARM_THROUGHPUT: &[Field] =
    &[field("ReadUnitsPerSecond", Long, &[]), field("WriteUnitsPerSecond", Long, &[])];

pub(crate) const STREAM_SPECIFICATION: &[Field] = &[
    field("StreamEnabled", Bool, &[NotNull]),
    field("StreamViewType", Str, &[Enum(&["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"])]),
];

pub(crate) const SSE_SPECIFICATION: &[Field] = &[
    field("Enabled", Bool, &[]),
    field("SSEType", Str, &[Enum(&["AES256", "KMS"])]),
    field("KMSMasterKeyId", Str, &[]),
];

pub(crate) const TAG: &[Field] = &[
    field("Key", Str, &[NotNull, MinLength(1), MaxLength(128)]),
    field("Value", Str, &[NotNull, MaxLength(256)]),
];

/// Table names as keys of a batch's `RequestItems` map.
pub(crate) const REQUEST_ITEMS_KEYS: Rule = MapKeys(TABLE_NAME_KEY);
const TABLE_NAME_KEY: &[Rule] = &[MaxLength(255), MinLength(3), NamePattern];
/// BatchWriteItem's, checked after its other constraints.
pub(crate) const DEFERRED_REQUEST_ITEMS_KEYS: Rule = DeferredMapKeys(TABLE_NAME_KEY);

pub(crate) const STATEMENT: Field = field("Statement", Str, &[NotNull, MinLength(1), MaxLength(8192)]);

pub(crate) const PARAMETERS: Field = field("Parameters", List(&AttributeValue), &[MinLength(1)]);

pub(crate) const CONTROL_TABLE_NAME: Field =
    field("TableName", Str, &[Required, NamePattern, MinLength(3), MaxLength(255)]);

pub(crate) static NO_MEMBERS: &[Field] = &[];

/// Contributor Insights names a table by name or ARN (1,024 characters at most); a name
/// shorter than 3 is refused like any table name.
pub(crate) const INSIGHTS_TABLE_NAME_RULES: &[Rule] = &[NotNull, MinLength(3), MaxLength(1024)];
