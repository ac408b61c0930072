// The AWS CLI in the browser (issue 14, item 3), registered by run.mjs: `aws dynamodb …` lines
// typed in the console run as the AWS CLI runs them and show what it prints; `dynaplay.cli`
// resolves to that text and rejects with the CLI's error text. The parser is in the module
// loaded on demand: the first load does not fetch it, the first line does.
export default async function ({ test, assert, shot, openApp, launch, tempDir }) {
  const runLine = async (page, text) => {
    await page.fill('[data-testid=request]', text);
    await page.click('[data-testid=send]');
    await page.waitForSelector('.cli-printed');
    const read = async (id) => ((await page.$(`[data-testid=${id}]`)) ? page.textContent(`[data-testid=${id}]`) : null);
    return { output: await read('cli-output'), error: await read('cli-error'), operation: await page.inputValue('[data-testid=operation]') };
  };

  await test('AWS CLI: lines typed in the console run as the CLI runs them and print what it prints', async () => {
    const context = await launch(tempDir('cli-console'));
    const { page, w } = await openApp(context, '?storage=memory');
    const learnFetched = () => page.evaluate(() => performance.getEntriesByType('resource').some((r) => r.name.includes('/learn-')));
    assert(!(await learnFetched()), 'the first load fetches no part of the on-demand module');

    // As the Developer Guide prints it: continuations, shorthand lists of structures.
    const created = await runLine(page, [
      'aws dynamodb create-table \\',
      '    --table-name Music \\',
      '    --attribute-definitions \\',
      '        AttributeName=Artist,AttributeType=S \\',
      '        AttributeName=SongTitle,AttributeType=S \\',
      '    --key-schema AttributeName=Artist,KeyType=HASH AttributeName=SongTitle,KeyType=RANGE \\',
      '    --provisioned-throughput ReadCapacityUnits=5,WriteCapacityUnits=5 \\',
      '    --endpoint-url http://localhost:8000',
    ].join('\n'));
    assert(created.error === null, created.error);
    assert(created.operation === 'CreateTable', created.operation);
    // The CLI's JSON: four spaces, the API model's member order (not the response's).
    assert(created.output.startsWith('{\n    "TableDescription": {\n        "AttributeDefinitions": [\n            {\n                "AttributeName": "Artist",'),
      created.output.slice(0, 200));
    const order = ['"AttributeDefinitions"', '"TableName"', '"KeySchema"', '"TableStatus"', '"CreationDateTime"', '"ProvisionedThroughput"'];
    assert(order.every((k, i) => i === 0 || created.output.indexOf(order[i - 1]) < created.output.indexOf(k)), created.output);
    const note = await page.textContent('[data-testid=cli-note]');
    assert(note.includes('--endpoint-url http://localhost:8000 is ignored'), note);
    // The request sent is shown as for any other request.
    const sent = JSON.parse(await page.textContent('[data-testid=request-sent]'));
    assert(JSON.stringify(sent.KeySchema) === '[{"AttributeName":"Artist","KeyType":"HASH"},{"AttributeName":"SongTitle","KeyType":"RANGE"}]'
      && sent.ProvisionedThroughput.ReadCapacityUnits === 5, JSON.stringify(sent));
    assert(await learnFetched(), 'the first line fetched the on-demand module');

    const put = await runLine(page, `aws dynamodb put-item --table-name Music --item 'Artist={S=Nina},SongTitle={S="Paper Moons"},Year={N=1965}'`);
    assert(put.output === '(the AWS CLI prints nothing for this command)' && put.operation === 'PutItem', JSON.stringify(put));
    assert((await page.textContent('[data-testid=response-status]')).includes('PutItem succeeded'), 'the exchange shows the PutItem');
    await runLine(page, `aws dynamodb put-item --table-name Music --item '{"Artist": {"S": "Nina"}, "SongTitle": {"S": "Sinnerman"}}'`);

    // A paginated command: pages of one, followed and merged as the CLI does.
    const scan = await runLine(page, 'aws dynamodb scan --table-name Music --page-size 1 --return-consumed-capacity TOTAL');
    const merged = JSON.parse(scan.output);
    assert(merged.Count === 2 && merged.ScannedCount === 2 && merged.Items.length === 2, scan.output);
    assert(scan.output.includes('"ConsumedCapacity": {\n        "TableName": "Music",\n        "CapacityUnits": 0.5\n    }'), scan.output);
    // The exchange is the last page's request, and the panel says so.
    assert((await page.textContent('[data-testid=cli-requests]')) === 'The AWS CLI sent 3 requests; the last is shown below.',
      await page.textContent('[data-testid=cli-requests]'));
    const lastPage = JSON.parse(await page.textContent('[data-testid=request-sent]'));
    assert(lastPage.Limit === 1 && lastPage.ExclusiveStartKey, JSON.stringify(lastPage));
    await shot(page, 'cli-01-console-scan');

    // Refused before anything is sent; a service error is the CLI's line.
    const unknown = await runLine(page, 'aws dynamodb scan --table-name Music --foo bar');
    assert(unknown.error === 'Unknown options: --foo, bar' && unknown.output === null, JSON.stringify(unknown));
    assert(!(await page.$('[data-testid=request-sent]')), 'nothing was sent');
    const missing = await runLine(page, "aws dynamodb get-item --table-name Nope --key 'Artist={S=x}'");
    assert(missing.error === 'An error occurred (ResourceNotFoundException) when calling the GetItem operation: Requested resource not found',
      missing.error);
    await shot(page, 'cli-02-console-error');
    // The code editor (loaded once the page is idle) marks no JSON error in a command line,
    // and still marks one in a request that is not JSON.
    await page.waitForFunction(() => performance.getEntriesByName('dynaplay-editor-ready').length > 0, null, { timeout: 30000 });
    const marks = () => page.evaluate(() => document.querySelector('[data-testid=request-editor]').shadowRoot
      .querySelectorAll('.cm-lintRange-error, .cm-lintPoint-error').length);
    await page.fill('[data-testid=request]', 'aws dynamodb list-tables');
    await page.waitForTimeout(900);
    assert(await marks() === 0, 'an AWS CLI line is not marked as bad JSON');
    await page.fill('[data-testid=request]', '{"TableName": ');
    await page.waitForFunction(() => document.querySelector('[data-testid=request-editor]').shadowRoot
      .querySelector('.cm-lintRange-error, .cm-lintPoint-error'), null, { timeout: 10000 });
    // A JSON request still works as before.
    await page.fill('[data-testid=operation]', 'ListTables');
    await page.fill('[data-testid=request]', '{}');
    await page.click('[data-testid=send]');
    await page.waitForSelector('[data-testid=response]');
    assert(!(await page.$('.cli-printed')), 'a JSON request shows no CLI output');
    await w.check();
    await context.close();
  });

  await test('AWS CLI: dynaplay.cli resolves to the text the CLI prints and rejects with its error', async () => {
    const context = await launch(tempDir('cli-api'));
    const { page, w } = await openApp(context, '?storage=memory');
    const got = await page.evaluate(async () => {
      await dynaplay.cli(`aws dynamodb create-table --table-name Books --billing-mode PAY_PER_REQUEST \\
        --attribute-definitions AttributeName=isbn,AttributeType=S --key-schema AttributeName=isbn,KeyType=HASH`);
      const put = await dynaplay.cli(`aws dynamodb put-item --table-name Books --item '{"isbn": {"S": "1"}, "price": {"N": "9.5"}}' --return-consumed-capacity TOTAL`);
      const scan = await dynaplay.cli('aws dynamodb scan --table-name Books');
      const fail = async (line) => { try { await dynaplay.cli(line); return null; } catch (e) {
        return { name: e.name, message: e.message, code: e.code, exitCode: e.exitCode, isError: e instanceof Error }; } };
      return { put, scan, missing: await fail('aws dynamodb describe-table --table-name Nope'),
        usage: await fail('aws dynamodb scan'), file: await fail('aws dynamodb put-item --table-name Books --item file://x.json') };
    });
    assert(got.put === '{\n    "ConsumedCapacity": {\n        "TableName": "Books",\n        "CapacityUnits": 1.0\n    }\n}\n', JSON.stringify(got.put));
    assert(got.scan === [
      '{', '    "Items": [', '        {', '            "isbn": {', '                "S": "1"', '            },',
      '            "price": {', '                "N": "9.5"', '            }', '        }', '    ],',
      '    "Count": 1,', '    "ScannedCount": 1,', '    "ConsumedCapacity": null', '}', ''].join('\n'), JSON.stringify(got.scan));
    assert(got.missing.isError && got.missing.name === 'AwsCliError' && got.missing.code === 'ResourceNotFoundException'
      && got.missing.exitCode === 255
      && got.missing.message === 'An error occurred (ResourceNotFoundException) when calling the DescribeTable operation: Requested resource not found: Table: Nope not found',
      JSON.stringify(got.missing));
    assert(got.usage.message === 'aws: error: the following arguments are required: --table-name' && got.usage.exitCode === 2, JSON.stringify(got.usage));
    assert(got.file.message.startsWith("Error parsing parameter '--item': dynaplay cannot read file:// files"), JSON.stringify(got.file));
    await w.check();
    await context.close();
  });
}
