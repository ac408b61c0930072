// Seed program shared/seeds/000_86161b496cbd8265.txt ("Query Items with Node.js"), verbatim:
// the AWS SDK for JavaScript v2 DocumentClient. Run through with_endpoint.cjs, which points
// AWS.config at the server under test first (v2 reads no endpoint from the environment).
// The seed assumes table "Orders" (partition key CustomerId) exists: the test creates it.
const AWS = require("aws-sdk");
const dynamodb = new AWS.DynamoDB.DocumentClient();
const params = {
TableName: "Orders",
KeyConditionExpression: "CustomerId = :cid",
ExpressionAttributeValues: {
":cid": "C1234"
}
};
dynamodb.query(params, (err, data) => {
if (err) console.error("Error:", err);
else console.log("Orders:", data.Items);
});
