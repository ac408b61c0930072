# Seed program shared/seeds/002_fc9b8f76da05f8a3.txt ("What is DynamoDB: Overview and Key
# Uses"), verbatim except that the client points at the dynaplay server under test
# (DYNAPLAY_ENDPOINT; dummy credentials come from the environment).
import os

import boto3

# Create DynamoDB client
client = boto3.client('dynamodb', region_name='us-west-2', endpoint_url=os.environ['DYNAPLAY_ENDPOINT'])

# Create a table
client.create_table(
    TableName='Users',
    KeySchema=[{'AttributeName': 'UserID', 'KeyType': 'HASH'}],
    AttributeDefinitions=[{'AttributeName': 'UserID', 'AttributeType': 'S'}],
    ProvisionedThroughput={'ReadCapacityUnits': 5, 'WriteCapacityUnits': 5}
)

# Add an item
client.put_item(
    TableName='Users',
    Item={'UserID': {'S': '123'}, 'Name': {'S': 'Alice'}, 'Age': {'N': '30'}}
)

# Get the item
response = client.get_item(
    TableName='Users',
    Key={'UserID': {'S': '123'}}
)
print(response['Item'])
