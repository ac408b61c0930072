// Exam practice end to end (registered in run.mjs): answer wrong and right, "Prove it" shows the
// figure that settles the question (run in a scratch engine: the learner's tables stay as they
// were), a missed question comes back, and scores and Leitner boxes survive a reload.
export default async function practice({ test, assert, shot, openApp, launch, tempDir, url }) {
  // The answer key, read from the same files the page fetches.
  const bank = new Map();
  const index = await (await fetch(`${url}/questions/index.json`)).json();
  for (const t of index.topics) {
    for (const q of (await (await fetch(`${url}/questions/${t.file}`)).json()).questions) bank.set(q.id, q);
  }

  await test('Practice: answer wrong and right, prove it, a missed question returns, progress survives reload', async () => {
    const context = await launch(tempDir('practice'));
    let { page, w } = await openApp(context);
    await page.click('[data-testid=nav-practice]');
    await page.waitForSelector('[data-testid=practice]');
    assert(page.url().endsWith('#/practice'), page.url());
    await page.selectOption('[data-testid=practice-topic]', 'capacity');
    const shown = async (after) => {
      await page.waitForFunction((prev) => {
        const q = document.querySelector('[data-testid=question]');
        return q && q.dataset.id !== prev;
      }, after);
      const id = await page.getAttribute('[data-testid=question]', 'data-id');
      assert(bank.has(id), `unknown question ${id}`);
      return bank.get(id);
    };
    const answer = async (q, right) => {
      if (q.kind === 'numeric') {
        await page.fill('[data-testid=practice-number]', String(right ? q.answer : q.answer + 1));
      } else {
        const picks = right ? q.answer : [q.options.findIndex((_, i) => !q.answer.includes(i))];
        for (const i of picks) await page.check(`[data-testid=option-${i}]`);
      }
      await page.click('[data-testid=practice-check]');
      const verdict = await page.textContent('[data-testid=practice-verdict]');
      assert(right ? verdict.startsWith('Right') : verdict.startsWith('Not quite'), `${q.id}: ${verdict}`);
      assert((await page.textContent('[data-testid=practice-explanation]')) === q.explanation, 'the explanation is shown');
    };

    // 1. A numeric question answered wrong; the key is shown, and "Prove it" settles it.
    const first = await shown(null);
    assert(first.kind === 'numeric' && first.prove, `${first.id} is a numeric question with an experiment`);
    await answer(first, false);
    assert((await page.textContent('[data-testid=practice-verdict]')).includes(`${first.answer} ${first.unit}`), 'the key is named');
    assert((await page.textContent('[data-testid=score-capacity]')).includes('0 of 1 right'), 'scored');
    await page.click('[data-testid=practice-prove]');
    const figure = JSON.parse(await page.getAttribute('[data-testid=practice-figure]', 'data-figure'));
    assert(Number(figure) === first.answer, `the experiment's figure ${figure} is the answer ${first.answer}`);
    assert((await page.textContent('[data-testid=practice-figure]')).includes('as the answer says'), 'said against the key');
    const proof = await page.textContent('[data-testid=practice-proof]');
    assert(proof.includes(first.prove.steps[0].op) && proof.includes('"ConsumedCapacity"'), 'the request and its answer are shown');
    await shot(page, '30-practice-prove-it');

    // 2. Two more answered right; then the missed one is due again.
    await page.click('[data-testid=practice-next]');
    const second = await shown(first.id);
    await answer(second, true);
    await page.click('[data-testid=practice-next]');
    const third = await shown(second.id);
    await answer(third, true);
    assert((await page.textContent('[data-testid=score-capacity]')).includes('2 of 3 right'), 'scored');
    await page.click('[data-testid=practice-next]');
    const again = await shown(third.id);
    assert(again.id === first.id, `the missed question comes back: got ${again.id}`);

    // 3. A choice question whose experiment names an error.
    await page.selectOption('[data-testid=practice-topic]', 'conditional-writes');
    const choice = await shown(again.id);
    assert(choice.kind === 'single' && choice.prove, `${choice.id} is a choice with an experiment`);
    await answer(choice, true);
    await page.click('[data-testid=practice-prove]');
    const named = JSON.parse(await page.getAttribute('[data-testid=practice-figure]', 'data-figure'));
    assert(choice.answer.some((i) => choice.options[i].figure === named), `the figure ${named} is a right option's`);

    // The experiments ran in scratch engines: the learner's workspace has no tables.
    assert(await page.$$eval('.table-name', (els) => els.length) === 0, 'no table appeared in the workspace');
    await w.check();

    // 4. Reload: scores and boxes are still there, so the missed question is still due first.
    await page.reload();
    await page.waitForSelector('[data-testid=practice]');
    await page.waitForSelector('[data-testid=score-capacity]');
    assert((await page.textContent('[data-testid=score-capacity]')).includes('2 of 3 right'), 'the capacity score survived');
    assert((await page.textContent('[data-testid=score-conditional-writes]')).includes('1 of 1 right'), 'the other score too');
    await page.selectOption('[data-testid=practice-topic]', 'capacity');
    const afterReload = await shown(null);
    assert(afterReload.id === first.id, `the due question survived the reload: got ${afterReload.id}`);
    await shot(page, '31-practice-after-reload');
    await w.check();
    await context.close();
  });
}
