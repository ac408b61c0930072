//! The request shapes of each operation, in the member order DynamoDB reports constraint
//! failures in.

use super::Rule::*;
use super::{Field, Shape, Shape::*};

const NAME_RULES: &[super::Rule] = &[NamePattern, MinLength(3), MaxLength(255)];
/// Data-plane operations also accept table ARNs, so the model asks for 1–255 characters; a
/// name shorter than 3 is refused only once everything else is valid.
const TABLE_NAME_RULES: &[super::Rule] =
    &[NotNull, NamePattern, MinLength(1), MaxLength(255), DeferredMinLength(3)];
const COMPARISON_OPERATORS: &[&str] = &[
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
const SELECT: &[&str] = &["SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"];
const RETURN_VALUES: &[&str] = &["ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"];

const fn field(name: &'static str, shape: Shape, rules: &'static [super::Rule]) -> Field {
    Field { name, shape, rules }
}

const RETURN_CONSUMED_CAPACITY: Field =
    field("ReturnConsumedCapacity", Str, &[Enum(&["INDEXES", "TOTAL", "NONE"])]);
const RETURN_ITEM_COLLECTION_METRICS: Field =
    field("ReturnItemCollectionMetrics", Str, &[Enum(&["SIZE", "NONE"])]);
const RETURN_VALUES_FIELD: Field = field("ReturnValues", Str, &[Enum(RETURN_VALUES)]);
const RETURN_VALUES_ON_CONDITION_CHECK_FAILURE: Field =
    field("ReturnValuesOnConditionCheckFailure", Str, &[Enum(&["ALL_OLD", "NONE"])]);
const TABLE_NAME: Field = field("TableName", Str, TABLE_NAME_RULES);
const CONDITIONAL_OPERATOR: Field = field("ConditionalOperator", Str, &[Enum(&["OR", "AND"])]);
const EXPRESSION_ATTRIBUTE_VALUES: Field = field("ExpressionAttributeValues", Map(&AttributeValue), &[]);
const EXPRESSION_ATTRIBUTE_NAMES: Field = field("ExpressionAttributeNames", Map(&Str), &[]);
const ATTRIBUTES_TO_GET: Field = field("AttributesToGet", List(&Str), &[MinLength(1), MaxLength(255)]);

const EXPECTED_ATTRIBUTE_VALUE: &[Field] = &[
    field("AttributeValueList", List(&AttributeValue), &[]),
    field("ComparisonOperator", Str, &[Enum(COMPARISON_OPERATORS)]),
    field("Exists", Bool, &[]),
    field("Value", AttributeValue, &[]),
];
const EXPECTED: Field =
    field("Expected", Map(&Struct("ExpectedAttributeValue", EXPECTED_ATTRIBUTE_VALUE)), &[]);

const CONDITION: &[Field] = &[
    field("AttributeValueList", List(&AttributeValue), &[]),
    field("ComparisonOperator", Str, &[NotNull, Enum(COMPARISON_OPERATORS)]),
];

const ATTRIBUTE_VALUE_UPDATE: &[Field] =
    &[field("Action", Str, &[Enum(&["ADD", "PUT", "DELETE"])]), field("Value", AttributeValue, &[])];

const PROVISIONED_THROUGHPUT: &[Field] = &[
    field("WriteCapacityUnits", Long, &[NotNull, Min(1)]),
    field("ReadCapacityUnits", Long, &[NotNull, Min(1)]),
];

const ATTRIBUTE_DEFINITION: &[Field] = &[
    field("AttributeName", Str, &[NotNull, MinLength(1), MaxLength(255)]),
    field("AttributeType", Str, &[NotNull, Enum(&["B", "N", "S"])]),
];

const KEY_SCHEMA_ELEMENT: &[Field] = &[
    field("AttributeName", Str, &[NotNull, MinLength(1), MaxLength(255)]),
    field("KeyType", Str, &[NotNull, Enum(&["HASH", "RANGE"])]),
];

const PROJECTION: &[Field] = &[
    field("ProjectionType", Str, &[Enum(&["ALL", "INCLUDE", "KEYS_ONLY"])]),
    field("NonKeyAttributes", List(&Str), &[MinLength(1), MaxLength(20)]),
];

const LOCAL_SECONDARY_INDEX: &[Field] = &[
    field("IndexName", Str, &[NotNull, NamePattern, MinLength(3), MaxLength(255)]),
    field(
        "KeySchema",
        List(&Struct("KeySchemaElement", KEY_SCHEMA_ELEMENT)),
        &[NotNull, MinLength(1), MaxLength(2)],
    ),
    field("Projection", Struct("Projection", PROJECTION), &[NotNull]),
];

const GLOBAL_SECONDARY_INDEX: &[Field] = &[
    field("IndexName", Str, &[NotNull, NamePattern, MinLength(3), MaxLength(255)]),
    field(
        "KeySchema",
        List(&Struct("KeySchemaElement", KEY_SCHEMA_ELEMENT)),
        &[NotNull, MinLength(1), MaxLength(2)],
    ),
    field("Projection", Struct("Projection", PROJECTION), &[NotNull]),
    field("ProvisionedThroughput", Struct("ProvisionedThroughput", PROVISIONED_THROUGHPUT), &[]),
    field("OnDemandThroughput", Struct("OnDemandThroughput", ON_DEMAND_THROUGHPUT), &[]),
];

const ON_DEMAND_THROUGHPUT: &[Field] =
    &[field("MaxReadRequestUnits", Long, &[]), field("MaxWriteRequestUnits", Long, &[])];

const STREAM_SPECIFICATION: &[Field] = &[
    field("StreamEnabled", Bool, &[NotNull]),
    field("StreamViewType", Str, &[Enum(&["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"])]),
];

const SSE_SPECIFICATION: &[Field] = &[
    field("Enabled", Bool, &[]),
    field("SSEType", Str, &[Enum(&["AES256", "KMS"])]),
    field("KMSMasterKeyId", Str, &[]),
];

const TAG: &[Field] = &[
    field("Key", Str, &[NotNull, MinLength(1), MaxLength(128)]),
    field("Value", Str, &[NotNull, MaxLength(256)]),
];

pub(crate) static CREATE_TABLE: &[Field] = &[
    field("AttributeDefinitions", List(&Struct("AttributeDefinition", ATTRIBUTE_DEFINITION)), &[NotNull]),
    field("TableName", Str, &[Required, NamePattern, MinLength(3), MaxLength(255)]),
    field("BillingMode", Str, &[Enum(&["PROVISIONED", "PAY_PER_REQUEST"])]),
    field("ProvisionedThroughput", Struct("ProvisionedThroughput", PROVISIONED_THROUGHPUT), &[]),
    field(
        "KeySchema",
        List(&Struct("KeySchemaElement", KEY_SCHEMA_ELEMENT)),
        &[NotNull, MinLength(1), MaxLength(2)],
    ),
    field("LocalSecondaryIndexes", List(&Struct("LocalSecondaryIndex", LOCAL_SECONDARY_INDEX)), &[]),
    field("GlobalSecondaryIndexes", List(&Struct("GlobalSecondaryIndex", GLOBAL_SECONDARY_INDEX)), &[]),
    field("StreamSpecification", Struct("StreamSpecification", STREAM_SPECIFICATION), &[]),
    field("SSESpecification", Struct("SSESpecification", SSE_SPECIFICATION), &[]),
    field("Tags", List(&Struct("Tag", TAG)), &[]),
    field("TableClass", Str, &[Enum(&["STANDARD", "STANDARD_INFREQUENT_ACCESS"])]),
    field("DeletionProtectionEnabled", Bool, &[]),
    field("OnDemandThroughput", Struct("OnDemandThroughput", ON_DEMAND_THROUGHPUT), &[]),
];

pub(crate) static DESCRIBE_TABLE: &[Field] =
    &[field("TableName", Str, &[Required, NamePattern, MinLength(3), MaxLength(255)])];

pub(crate) static DELETE_TABLE: &[Field] =
    &[field("TableName", Str, &[Required, NamePattern, MinLength(3), MaxLength(255)])];

pub(crate) static LIST_TABLES: &[Field] =
    &[field("Limit", Integer, &[Min(1), Max(100)]), field("ExclusiveStartTableName", Str, NAME_RULES)];

pub(crate) static PUT_ITEM: &[Field] = &[
    RETURN_CONSUMED_CAPACITY,
    TABLE_NAME,
    field("Item", Map(&AttributeValue), &[NotNull]),
    CONDITIONAL_OPERATOR,
    EXPECTED,
    RETURN_VALUES_FIELD,
    RETURN_ITEM_COLLECTION_METRICS,
    field("ConditionExpression", Str, &[]),
    EXPRESSION_ATTRIBUTE_VALUES,
    EXPRESSION_ATTRIBUTE_NAMES,
    RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
];

pub(crate) static GET_ITEM: &[Field] = &[
    RETURN_CONSUMED_CAPACITY,
    ATTRIBUTES_TO_GET,
    TABLE_NAME,
    field("Key", Map(&AttributeValue), &[NotNull]),
    field("ConsistentRead", Bool, &[]),
    field("ProjectionExpression", Str, &[]),
    EXPRESSION_ATTRIBUTE_NAMES,
];

pub(crate) static DELETE_ITEM: &[Field] = &[
    RETURN_CONSUMED_CAPACITY,
    TABLE_NAME,
    RETURN_VALUES_FIELD,
    RETURN_ITEM_COLLECTION_METRICS,
    field("Key", Map(&AttributeValue), &[NotNull]),
    CONDITIONAL_OPERATOR,
    EXPECTED,
    field("ConditionExpression", Str, &[]),
    EXPRESSION_ATTRIBUTE_VALUES,
    EXPRESSION_ATTRIBUTE_NAMES,
    RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
];

pub(crate) static UPDATE_ITEM: &[Field] = &[
    RETURN_CONSUMED_CAPACITY,
    TABLE_NAME,
    RETURN_ITEM_COLLECTION_METRICS,
    RETURN_VALUES_FIELD,
    field("Key", Map(&AttributeValue), &[NotNull]),
    CONDITIONAL_OPERATOR,
    EXPECTED,
    field("AttributeUpdates", Map(&Struct("AttributeValueUpdate", ATTRIBUTE_VALUE_UPDATE)), &[]),
    field("UpdateExpression", Str, &[]),
    field("ConditionExpression", Str, &[]),
    EXPRESSION_ATTRIBUTE_VALUES,
    EXPRESSION_ATTRIBUTE_NAMES,
    RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
];

pub(crate) static QUERY: &[Field] = &[
    field("Select", Str, &[Enum(SELECT)]),
    field("IndexName", Str, NAME_RULES),
    RETURN_CONSUMED_CAPACITY,
    field("QueryFilter", Map(&Struct("Condition", CONDITION)), &[]),
    TABLE_NAME,
    CONDITIONAL_OPERATOR,
    ATTRIBUTES_TO_GET,
    // Query words its Limit failure differently from every other operation: see query.rs.
    field("Limit", Integer, &[]),
    field("KeyConditions", Map(&Struct("Condition", CONDITION)), &[]),
    field("ExclusiveStartKey", Map(&AttributeValue), &[]),
    field("ConsistentRead", Bool, &[]),
    field("ScanIndexForward", Bool, &[]),
    field("KeyConditionExpression", Str, &[]),
    field("FilterExpression", Str, &[]),
    field("ProjectionExpression", Str, &[]),
    EXPRESSION_ATTRIBUTE_VALUES,
    EXPRESSION_ATTRIBUTE_NAMES,
];

pub(crate) static SCAN: &[Field] = &[
    field("Select", Str, &[Enum(SELECT)]),
    field("IndexName", Str, NAME_RULES),
    field("TotalSegments", Integer, &[Min(1), Max(1_000_000)]),
    RETURN_CONSUMED_CAPACITY,
    TABLE_NAME,
    CONDITIONAL_OPERATOR,
    field("ScanFilter", Map(&Struct("Condition", CONDITION)), &[]),
    field("Segment", Integer, &[Min(0), Max(999_999)]),
    field("Limit", Integer, &[Min(1)]),
    ATTRIBUTES_TO_GET,
    field("ExclusiveStartKey", Map(&AttributeValue), &[]),
    field("ConsistentRead", Bool, &[]),
    field("FilterExpression", Str, &[]),
    field("ProjectionExpression", Str, &[]),
    EXPRESSION_ATTRIBUTE_VALUES,
    EXPRESSION_ATTRIBUTE_NAMES,
];

/// Table names as keys of a batch's `RequestItems` map.
const REQUEST_ITEMS_KEYS: super::Rule = MapKeys(&[MaxLength(255), MinLength(3), NamePattern]);

const KEYS_AND_ATTRIBUTES: &[Field] = &[
    // More than 100 keys is reported before these rules run, in its own wording: see batch_get_item.rs.
    field("Keys", List(&Map(&AttributeValue)), &[NotNull, MinLength(1), MaxLength(100)]),
    ATTRIBUTES_TO_GET,
    field("ConsistentRead", Bool, &[]),
    field("ProjectionExpression", Str, &[]),
    EXPRESSION_ATTRIBUTE_NAMES,
];

pub(crate) static BATCH_GET_ITEM: &[Field] = &[
    RETURN_CONSUMED_CAPACITY,
    field(
        "RequestItems",
        Map(&Struct("KeysAndAttributes", KEYS_AND_ATTRIBUTES)),
        &[NotNull, MinLength(1), REQUEST_ITEMS_KEYS],
    ),
];

const PUT_REQUEST: &[Field] = &[field("Item", Map(&AttributeValue), &[NotNull])];
const DELETE_REQUEST: &[Field] = &[field("Key", Map(&AttributeValue), &[NotNull])];
const WRITE_REQUEST: &[Field] = &[
    field("DeleteRequest", Struct("DeleteRequest", DELETE_REQUEST), &[]),
    field("PutRequest", Struct("PutRequest", PUT_REQUEST), &[]),
];

pub(crate) static BATCH_WRITE_ITEM: &[Field] = &[
    RETURN_CONSUMED_CAPACITY,
    RETURN_ITEM_COLLECTION_METRICS,
    field(
        "RequestItems",
        Map(&List(&Struct("WriteRequest", WRITE_REQUEST))),
        &[NotNull, MinLength(1), REQUEST_ITEMS_KEYS, MapValues(&[MaxLength(25), MinLength(1)])],
    ),
];

const GET: &[Field] = &[
    field("Key", Map(&AttributeValue), &[NotNull]),
    TABLE_NAME,
    field("ProjectionExpression", Str, &[]),
    EXPRESSION_ATTRIBUTE_NAMES,
];
const TRANSACT_GET_ITEM: &[Field] = &[field("Get", Struct("Get", GET), &[NotNull])];

pub(crate) static TRANSACT_GET_ITEMS: &[Field] = &[
    field(
        "TransactItems",
        List(&Struct("TransactGetItem", TRANSACT_GET_ITEM)),
        &[NotNull, MinLength(1), MaxLength(100)],
    ),
    RETURN_CONSUMED_CAPACITY,
];

const CONDITION_CHECK: &[Field] = &[
    field("Key", Map(&AttributeValue), &[NotNull]),
    TABLE_NAME,
    field("ConditionExpression", Str, &[NotNull]),
    EXPRESSION_ATTRIBUTE_NAMES,
    EXPRESSION_ATTRIBUTE_VALUES,
    RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
];
const TRANSACT_PUT: &[Field] = &[
    field("Item", Map(&AttributeValue), &[NotNull]),
    TABLE_NAME,
    field("ConditionExpression", Str, &[]),
    EXPRESSION_ATTRIBUTE_NAMES,
    EXPRESSION_ATTRIBUTE_VALUES,
    RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
];
const TRANSACT_DELETE: &[Field] = &[
    field("Key", Map(&AttributeValue), &[NotNull]),
    TABLE_NAME,
    field("ConditionExpression", Str, &[]),
    EXPRESSION_ATTRIBUTE_NAMES,
    EXPRESSION_ATTRIBUTE_VALUES,
    RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
];
const TRANSACT_UPDATE: &[Field] = &[
    field("Key", Map(&AttributeValue), &[NotNull]),
    field("UpdateExpression", Str, &[NotNull]),
    TABLE_NAME,
    field("ConditionExpression", Str, &[]),
    EXPRESSION_ATTRIBUTE_NAMES,
    EXPRESSION_ATTRIBUTE_VALUES,
    RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
];
const TRANSACT_WRITE_ITEM: &[Field] = &[
    field("ConditionCheck", Struct("ConditionCheck", CONDITION_CHECK), &[]),
    field("Put", Struct("Put", TRANSACT_PUT), &[]),
    field("Delete", Struct("Delete", TRANSACT_DELETE), &[]),
    field("Update", Struct("Update", TRANSACT_UPDATE), &[]),
];

pub(crate) static TRANSACT_WRITE_ITEMS: &[Field] = &[
    field(
        "TransactItems",
        List(&Struct("TransactWriteItem", TRANSACT_WRITE_ITEM)),
        &[NotNull, MinLength(1), MaxLength(100)],
    ),
    RETURN_CONSUMED_CAPACITY,
    RETURN_ITEM_COLLECTION_METRICS,
    field("ClientRequestToken", Str, &[MinLength(1), MaxLength(36)]),
];

const STATEMENT: Field = field("Statement", Str, &[NotNull, MinLength(1), MaxLength(8192)]);
const PARAMETERS: Field = field("Parameters", List(&AttributeValue), &[MinLength(1)]);

pub(crate) static EXECUTE_STATEMENT: &[Field] = &[
    STATEMENT,
    PARAMETERS,
    field("ConsistentRead", Bool, &[]),
    field("NextToken", Str, &[MinLength(1), MaxLength(32768)]),
    RETURN_CONSUMED_CAPACITY,
    field("Limit", Integer, &[Min(1)]),
    RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
];

const BATCH_STATEMENT_REQUEST: &[Field] =
    &[STATEMENT, PARAMETERS, field("ConsistentRead", Bool, &[]), RETURN_VALUES_ON_CONDITION_CHECK_FAILURE];

pub(crate) static BATCH_EXECUTE_STATEMENT: &[Field] = &[
    field(
        "Statements",
        List(&Struct("BatchStatementRequest", BATCH_STATEMENT_REQUEST)),
        &[NotNull, MinLength(1), MaxLength(25)],
    ),
    RETURN_CONSUMED_CAPACITY,
];

const PARAMETERIZED_STATEMENT: &[Field] = &[STATEMENT, PARAMETERS, RETURN_VALUES_ON_CONDITION_CHECK_FAILURE];

pub(crate) static EXECUTE_TRANSACTION: &[Field] = &[
    field(
        "TransactStatements",
        List(&Struct("ParameterizedStatement", PARAMETERIZED_STATEMENT)),
        &[NotNull, MinLength(1), MaxLength(100)],
    ),
    field("ClientRequestToken", Str, &[MinLength(1), MaxLength(36)]),
    RETURN_CONSUMED_CAPACITY,
];
const UPDATE_GLOBAL_SECONDARY_INDEX_ACTION: &[Field] = &[
    field("IndexName", Str, &[NotNull, NamePattern, MinLength(3), MaxLength(255)]),
    field("ProvisionedThroughput", Struct("ProvisionedThroughput", PROVISIONED_THROUGHPUT), &[NotNull]),
];

const CREATE_GLOBAL_SECONDARY_INDEX_ACTION: &[Field] = &[
    field("Projection", Struct("Projection", PROJECTION), &[NotNull]),
    field("IndexName", Str, &[NotNull, NamePattern, MinLength(3), MaxLength(255)]),
    field("ProvisionedThroughput", Struct("ProvisionedThroughput", PROVISIONED_THROUGHPUT), &[]),
    field(
        "KeySchema",
        List(&Struct("KeySchemaElement", KEY_SCHEMA_ELEMENT)),
        &[NotNull, MinLength(1), MaxLength(2)],
    ),
    field("OnDemandThroughput", Struct("OnDemandThroughput", ON_DEMAND_THROUGHPUT), &[]),
];

const DELETE_GLOBAL_SECONDARY_INDEX_ACTION: &[Field] =
    &[field("IndexName", Str, &[NotNull, NamePattern, MinLength(3), MaxLength(255)])];

const GLOBAL_SECONDARY_INDEX_UPDATE: &[Field] = &[
    field("Update", Struct("UpdateGlobalSecondaryIndexAction", UPDATE_GLOBAL_SECONDARY_INDEX_ACTION), &[]),
    field("Create", Struct("CreateGlobalSecondaryIndexAction", CREATE_GLOBAL_SECONDARY_INDEX_ACTION), &[]),
    field("Delete", Struct("DeleteGlobalSecondaryIndexAction", DELETE_GLOBAL_SECONDARY_INDEX_ACTION), &[]),
];

const CONTROL_TABLE_NAME: Field =
    field("TableName", Str, &[Required, NamePattern, MinLength(3), MaxLength(255)]);

pub(crate) static UPDATE_TABLE: &[Field] = &[
    field("AttributeDefinitions", List(&Struct("AttributeDefinition", ATTRIBUTE_DEFINITION)), &[]),
    CONTROL_TABLE_NAME,
    field("BillingMode", Str, &[Enum(&["PROVISIONED", "PAY_PER_REQUEST"])]),
    field("ProvisionedThroughput", Struct("ProvisionedThroughput", PROVISIONED_THROUGHPUT), &[]),
    field(
        "GlobalSecondaryIndexUpdates",
        List(&Struct("GlobalSecondaryIndexUpdate", GLOBAL_SECONDARY_INDEX_UPDATE)),
        &[],
    ),
    field("StreamSpecification", Struct("StreamSpecification", STREAM_SPECIFICATION), &[]),
    field("SSESpecification", Struct("SSESpecification", SSE_SPECIFICATION), &[]),
    field("TableClass", Str, &[Enum(&["STANDARD", "STANDARD_INFREQUENT_ACCESS"])]),
    field("DeletionProtectionEnabled", Bool, &[]),
    field("OnDemandThroughput", Struct("OnDemandThroughput", ON_DEMAND_THROUGHPUT), &[]),
];

pub(crate) static TAG_RESOURCE: &[Field] =
    &[field("ResourceArn", Str, &[]), field("Tags", List(&Struct("Tag", TAG)), &[])];

pub(crate) static UNTAG_RESOURCE: &[Field] =
    &[field("ResourceArn", Str, &[]), field("TagKeys", List(&Str), &[])];

pub(crate) static LIST_TAGS_OF_RESOURCE: &[Field] =
    &[field("ResourceArn", Str, &[]), field("NextToken", Str, &[])];

pub(crate) static DESCRIBE_TIME_TO_LIVE: &[Field] = &[CONTROL_TABLE_NAME];

const TIME_TO_LIVE_SPECIFICATION: &[Field] = &[
    field("Enabled", Bool, &[NotNull]),
    field("AttributeName", Str, &[NotNull, MinLength(1), MaxLength(255)]),
];

pub(crate) static UPDATE_TIME_TO_LIVE: &[Field] = &[
    CONTROL_TABLE_NAME,
    field(
        "TimeToLiveSpecification",
        Struct("TimeToLiveSpecification", TIME_TO_LIVE_SPECIFICATION),
        &[NotNull],
    ),
];

pub(crate) static DESCRIBE_CONTINUOUS_BACKUPS: &[Field] = &[CONTROL_TABLE_NAME];

const POINT_IN_TIME_RECOVERY_SPECIFICATION: &[Field] = &[
    field("PointInTimeRecoveryEnabled", Bool, &[NotNull]),
    field("RecoveryPeriodInDays", Integer, &[Min(1), Max(35)]),
];

pub(crate) static UPDATE_CONTINUOUS_BACKUPS: &[Field] = &[
    CONTROL_TABLE_NAME,
    field(
        "PointInTimeRecoverySpecification",
        Struct("PointInTimeRecoverySpecification", POINT_IN_TIME_RECOVERY_SPECIFICATION),
        &[NotNull],
    ),
];

pub(crate) static NO_MEMBERS: &[Field] = &[];

// DynamoDB Streams (API version 2012-08-10 of `DynamoDBStreams_20120810`).

const STREAM_ARN_RULES: &[super::Rule] = &[MinLength(37), MaxLength(1024)];
const SHARD_ID_RULES: &[super::Rule] = &[MinLength(28), MaxLength(65)];

pub(crate) static LIST_STREAMS: &[Field] = &[
    field("TableName", Str, NAME_RULES),
    field("Limit", Integer, &[Min(1)]),
    field("ExclusiveStartStreamArn", Str, STREAM_ARN_RULES),
];

pub(crate) static DESCRIBE_STREAM: &[Field] = &[
    field("StreamArn", Str, &[NotNull, MinLength(37), MaxLength(1024)]),
    field("Limit", Integer, &[Min(1)]),
    field("ExclusiveStartShardId", Str, SHARD_ID_RULES),
];

pub(crate) static GET_SHARD_ITERATOR: &[Field] = &[
    field("StreamArn", Str, &[NotNull, MinLength(37), MaxLength(1024)]),
    field("ShardId", Str, &[NotNull, MinLength(28), MaxLength(65)]),
    field(
        "ShardIteratorType",
        Str,
        &[NotNull, Enum(&["TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"])],
    ),
    field("SequenceNumber", Str, &[MinLength(21), MaxLength(40)]),
];

pub(crate) static GET_RECORDS: &[Field] = &[
    field("ShardIterator", Str, &[NotNull, MinLength(1), MaxLength(2048)]),
    field("Limit", Integer, &[Min(1)]),
];
