// Seed program shared/seeds/000_86161b496cbd8265.txt ("Query Items with Node.js") written with
// the AWS SDK for JavaScript v3 DocumentClient (@aws-sdk/lib-dynamodb): the same params, the
// same output. No endpoint in the code: SDK v3 reads AWS_ENDPOINT_URL (and the region and
// credentials) from the environment, which the test sets to the server under test.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";

const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const params = {
  TableName: "Orders",
  KeyConditionExpression: "CustomerId = :cid",
  ExpressionAttributeValues: {
    ":cid": "C1234"
  }
};
try {
  const data = await dynamodb.send(new QueryCommand(params));
  console.log("Orders:", data.Items);
} catch (err) {
  console.error("Error:", err);
}
