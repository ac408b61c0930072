# Seed program shared/seeds/000_86161b496cbd8265.txt ("Insert and Read Data with Python
# (Boto3)"), verbatim except that the resource points at the dynaplay server under test
# (DYNAPLAY_ENDPOINT; region and dummy credentials come from the environment). The seed
# assumes table 'Users' (partition key UserId) exists: the test creates it first.
import os

import boto3
# Initialize DynamoDB resource
dynamodb = boto3.resource('dynamodb', endpoint_url=os.environ['DYNAPLAY_ENDPOINT'])
table = dynamodb.Table('Users')
# Insert item
table.put_item(
Item={
'UserId': 'U1001',
'Name': 'Alice',
'Email': 'alice@example.com',
'Age': 29
}
)
# Retrieve item
response = table.get_item(Key={'UserId': 'U1001'})
print("Fetched User:", response['Item'])
