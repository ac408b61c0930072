exports.handler = async (event) => {
for (const record of event.Records) {
console.log("Stream Record:", JSON.stringify(record, null, 2));
if (record.eventName === "INSERT") {
const newItem = record.dynamodb.NewImage;
console.log("New item added:", newItem);
}
}
return `Successfully processed ${event.Records.length} records.`;
};
