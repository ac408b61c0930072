// Auto scaling in the page (issue 18, item 2): Application Auto Scaling's operations sent
// through the JS API (`dynaplay.send`) and the page's AWS CLI (`aws application-autoscaling …`,
// `dynaplay.cli`), a write workload on engine time that trips the target-tracking policy's
// AlarmHigh, and the Capacity tab's activity panel saying what was set and why.

export default async function ({ test, assert, shot, openApp, launch, tempDir }) {
  await test('Auto scaling: JS API and AWS CLI, a workload scales the table out, the Capacity tab shows the activity', async () => {
    const context = await launch(tempDir('scaling'));
    await context.addInitScript(() => { try { localStorage.setItem('dynaplay.engine', 'full'); } catch (_) { /* a sandboxed frame */ } });
    const { page } = await openApp(context);
    assert(await page.evaluate(() => dynaplay.ready.then(() => dynaplay.fullEngine())) === true, 'the full engine runs');
    const registered = await page.evaluate(async () => {
      await dynaplay.send('CreateTable', { TableName: 'Ramp', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] });
      // The JS API: Application Auto Scaling by operation name, as any other.
      await dynaplay.send('RegisterScalableTarget', { ServiceNamespace: 'dynamodb', ResourceId: 'table/Ramp',
        ScalableDimension: 'dynamodb:table:WriteCapacityUnits', MinCapacity: 5, MaxCapacity: 100 });
      const targets = await dynaplay.send('DescribeScalableTargets', { ServiceNamespace: 'dynamodb' });
      let refused = null;
      try {
        await dynaplay.send('PutScalingPolicy', { PolicyName: 'p', ServiceNamespace: 'dynamodb', ResourceId: 'table/Nope',
          ScalableDimension: 'dynamodb:table:WriteCapacityUnits', PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBWriteCapacityUtilization' } } });
      } catch (e) { refused = { name: e.name, message: e.message }; }
      return { targets: targets.ScalableTargets, refused };
    });
    assert(registered.targets.length === 1 && registered.targets[0].ResourceId === 'table/Ramp' && registered.targets[0].MaxCapacity === 100, JSON.stringify(registered));
    assert(registered.refused && registered.refused.name === 'ObjectNotFoundException' && registered.refused.message.includes('table/Nope'), JSON.stringify(registered));

    // The AWS CLI: the policy made with `aws application-autoscaling put-scaling-policy`.
    const put = await page.evaluate(() => dynaplay.cli(
      'aws application-autoscaling put-scaling-policy --service-namespace dynamodb --resource-id table/Ramp '
      + '--scalable-dimension dynamodb:table:WriteCapacityUnits --policy-name WriteScaling --policy-type TargetTrackingScaling '
      + '--target-tracking-scaling-policy-configuration \'{"TargetValue": 50, "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBWriteCapacityUtilization"}}\''));
    const policy = JSON.parse(put);
    assert(policy.PolicyARN && policy.PolicyARN.includes('policyName/WriteScaling') && policy.Alarms.length === 4, put);
    const described = JSON.parse(await page.evaluate(() => dynaplay.cli('aws application-autoscaling describe-scaling-policies --service-namespace dynamodb')));
    assert(described.ScalingPolicies.length === 1 && described.ScalingPolicies[0].PolicyName === 'WriteScaling', JSON.stringify(described));
    const wrong = await page.evaluate(() => dynaplay.cli('aws application-autoscaling describe-scalable-targets').then(() => null, (e) => e.message));
    assert(wrong && wrong.includes('--service-namespace'), String(wrong));

    // 30 one-KB writes a second on 5 WCU: above 50 % for two minutes, AlarmHigh scales out.
    const workload = await page.evaluate(async () => {
      const started = await dynaplay.send('PlaygroundStartWorkload', { TableName: 'Ramp', Distribution: 'UNIFORM', KeyCount: 2000,
        RequestsPerSecond: 30, ReadRatio: 0, ItemSizeBytes: 900, Seed: 7 });
      return started.WorkloadId;
    });
    // Engine time in steps (the page runs a bounded share of a workload per request, so time
    // catches up over several), until the activity is there — or 6 minutes of engine time.
    const activities = await page.evaluate(async () => {
      const start = (await dynaplay.send('PlaygroundDescribeTime', {})).Now;
      for (;;) {
        const a = await dynaplay.send('DescribeScalingActivities', { ServiceNamespace: 'dynamodb', ResourceId: 'table/Ramp' });
        const now = (await dynaplay.send('PlaygroundDescribeTime', {})).Now;
        if (a.ScalingActivities.some((x) => /AlarmHigh/.test(x.Cause)) || now - start > 360000) return { ...a, minutes: (now - start) / 60000 };
        await dynaplay.send('PlaygroundAdvanceTime', { Milliseconds: 5000 });
      }
    });
    const out = activities.ScalingActivities.find((a) => /AlarmHigh/.test(a.Cause));
    assert(out && out.Description.startsWith('Setting write capacity units to') && out.Cause.includes('triggered policy WriteScaling'), JSON.stringify(activities));
    // The table is UPDATING for a second of engine time, the activity InProgress until then.
    const wcu = await page.evaluate(async () => {
      for (let i = 0; ; i++) {
        const d = await dynaplay.send('DescribeTable', { TableName: 'Ramp' });
        if (d.Table.TableStatus === 'ACTIVE' || i === 20) return d.Table.ProvisionedThroughput.WriteCapacityUnits;
        await dynaplay.send('PlaygroundAdvanceTime', { Milliseconds: 500 });
      }
    });
    assert(wcu > 5, `scaled out: ${wcu} WCU`);
    await page.evaluate((id) => dynaplay.send('PlaygroundStopWorkload', { WorkloadId: id }), workload);

    // The Capacity tab: the activity, its status and its cause.
    await page.evaluate(() => { location.hash = '#/tables/Ramp/capacity'; });
    await page.waitForSelector('[data-testid=capacity-scaling] .scaling-activity', { timeout: 15000 });
    const panel = await page.textContent('[data-testid=capacity-scaling]');
    assert(panel.includes('Auto scaling activities') && panel.includes(out.Description), panel);
    assert(panel.includes('monitor alarm TargetTracking-table/Ramp-AlarmHigh-') && panel.includes('triggered policy WriteScaling'), panel);
    assert(/Successful|InProgress/.test(panel), panel);
    // The charts' provisioned line is at the capacity the activity set.
    await page.waitForFunction((n) => document.querySelector('[data-testid=learn-slot]').textContent.includes(`provisioned ${n}`), wcu, { timeout: 10000 });
    await shot(page, 'scaling-activity-panel');
    await context.close();
  });
}
