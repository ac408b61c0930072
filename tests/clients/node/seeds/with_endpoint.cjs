// The only addition to the v2 seed programs: aws-sdk v2 takes no endpoint from the
// environment, so point AWS.config at the server under test (DYNAPLAY_ENDPOINT), then run the
// verbatim seed named on the command line. The seed's own require("aws-sdk") gets this same,
// configured module. Credentials come from the environment (AWS_ACCESS_KEY_ID, ...).
const path = require("node:path");
const AWS = require("aws-sdk");

AWS.config.update({
  endpoint: process.env.DYNAPLAY_ENDPOINT,
  region: process.env.AWS_REGION,
  maxRetries: 0,
});

require(path.resolve(process.argv[2]));
