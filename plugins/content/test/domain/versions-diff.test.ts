import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeContent } from '../../src/domain/posts.js';
import { diffText, diffVersions, tokenize, type DiffOp } from '../../src/domain/versions-diff.js';

/** Applying the ops to `before` must give `after`: kept and deleted text is `before`, kept and inserted is `after`. */
function assertConsistent(before: string, after: string, ops: DiffOp[]): void {
  assert.equal(ops.filter((o) => o.op !== 'insert').map((o) => o.text).join(''), before);
  assert.equal(ops.filter((o) => o.op !== 'delete').map((o) => o.text).join(''), after);
}

describe('text diff', () => {
  test('words: a replaced word, an insertion, a deletion', () => {
    const d = diffText('The quick brown fox jumps', 'The quick red fox happily jumps');
    assert.deepEqual(d.ops, [
      { op: 'equal', text: 'The quick ' },
      { op: 'delete', text: 'brown' },
      { op: 'insert', text: 'red' },
      { op: 'equal', text: ' fox' },
      { op: 'insert', text: ' happily' },
      { op: 'equal', text: ' jumps' },
    ]);
    assert.equal(d.approximate, false);
  });

  test('words of any script and punctuation are tokens of their own', () => {
    assert.deepEqual(tokenize('Caffè, per favore! #CaféLatte', 'word'), ['Caffè', ',', ' ', 'per', ' ', 'favore', '!', ' ', '#', 'CaféLatte']);
    const d = diffText('Un caffè, per favore.', 'Un caffè lungo, per favore!');
    assert.deepEqual(d.ops, [
      { op: 'equal', text: 'Un caffè' },
      { op: 'insert', text: ' lungo' },
      { op: 'equal', text: ', per favore' },
      { op: 'delete', text: '.' },
      { op: 'insert', text: '!' },
    ]);
  });

  test('lines: whole lines in and out', () => {
    const before = 'one\ntwo\nthree\n';
    const after = 'one\n2\nthree\nfour';
    const d = diffText(before, after, 'line');
    assert.deepEqual(d.ops, [
      { op: 'equal', text: 'one\n' },
      { op: 'delete', text: 'two\n' },
      { op: 'insert', text: '2\n' },
      { op: 'equal', text: 'three\n' },
      { op: 'insert', text: 'four' },
    ]);
  });

  test('equal, empty and one-sided texts', () => {
    assert.deepEqual(diffText('same text', 'same text').ops, [{ op: 'equal', text: 'same text' }]);
    assert.deepEqual(diffText('', '').ops, []);
    assert.deepEqual(diffText('', 'new words').ops, [{ op: 'insert', text: 'new words' }]);
    assert.deepEqual(diffText('old words', '').ops, [{ op: 'delete', text: 'old words' }]);
  });

  test('the script is minimal: no more edits than needed', () => {
    // Drop "b " and add "x ": four tokens, the fewest that turn one into the other.
    const d = diffText('a b c d e f', 'a c d x e f');
    const edited = d.ops.filter((o) => o.op !== 'equal').flatMap((o) => tokenize(o.text, 'word'));
    assert.equal(edited.length, 4);
    assertConsistent('a b c d e f', 'a c d x e f', d.ops);
  });

  test('random edits always reproduce both texts', () => {
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    const words = ['alpha', 'beta', 'gamma', 'delta', '#tag', '@bob', 'caffè', '\n', ' ', ',', '.'];
    for (let i = 0; i < 200; i++) {
      const a = Array.from({ length: rand(30) }, () => words[rand(words.length)]).join(' ');
      const b = Array.from({ length: rand(30) }, () => words[rand(words.length)]).join(rand(2) ? ' ' : '');
      for (const g of ['word', 'line'] as const) assertConsistent(a, b, diffText(a, b, g).ops);
    }
  });

  test('past the edit budget the middle is shown replaced, still consistent', () => {
    const a = Array.from({ length: 400 }, (_, i) => `a${i}`).join(' ');
    const b = Array.from({ length: 400 }, (_, i) => `b${i}`).join(' ');
    const d = diffText(`Start ${a} end`, `Start ${b} end`, 'word', 100);
    assert.equal(d.approximate, true);
    assertConsistent(`Start ${a} end`, `Start ${b} end`, d.ops);
    assert.deepEqual(
      d.ops.map((o) => o.op),
      ['equal', 'delete', 'insert', 'equal'],
    );
  });
});

describe('version diff', () => {
  const v1 = normalizeContent({
    title: 'Launch',
    text: 'Our new #CaféLatte is here',
    media: [{ assetId: '00000000-0000-4000-8000-000000000001' }],
    thread: [{ text: 'Part two', media: [] }],
    article: { excerpt: 'Coffee news', tags: ['coffee'] },
    variants: { mastodon: { text: 'Our new latte' } },
  });

  test('text fields get a word diff, other fields before and after, in field order', () => {
    const v2 = normalizeContent({
      ...v1,
      text: 'Our new #CaféLatte is finally here',
      media: [],
      thread: [{ text: 'Part 2', media: [] }, { text: 'Part three', media: [] }],
      firstComment: 'Link in bio',
      article: { excerpt: 'Coffee news', tags: ['coffee', 'launch'] },
      variants: { mastodon: { text: 'Our new latte', firstComment: null }, bluesky: { title: 'Sky' } },
    });
    const changes = diffVersions(v1, v2);
    assert.deepEqual(
      changes.map((c) => [c.path, c.kind, c.change]),
      [
        ['text', 'text', 'changed'],
        ['media', 'value', 'changed'],
        ['thread[0].text', 'text', 'changed'],
        ['thread[1].text', 'text', 'added'],
        ['thread[1].media', 'value', 'added'],
        ['firstComment', 'text', 'added'],
        ['article.tags', 'value', 'changed'],
        ['variants.bluesky.title', 'text', 'added'],
        ['variants.mastodon.firstComment', 'value', 'added'],
      ],
    );
    const text = changes[0]!;
    assert.ok(text.kind === 'text');
    assert.deepEqual(text.diff.ops, [
      { op: 'equal', text: 'Our new #CaféLatte is ' },
      { op: 'insert', text: 'finally ' },
      { op: 'equal', text: 'here' },
    ]);
    assert.deepEqual(changes[6], { path: 'article.tags', kind: 'value', change: 'changed', before: ['coffee'], after: ['coffee', 'launch'] });
  });

  test('removed fields and identical versions', () => {
    const v2 = normalizeContent({ ...v1, thread: [], article: null, variants: {} });
    assert.deepEqual(
      diffVersions(v1, v2).map((c) => [c.path, c.change, c.before, c.after]),
      [
        ['thread[0].text', 'removed', 'Part two', null],
        ['thread[0].media', 'removed', [], null],
        ['article.excerpt', 'removed', 'Coffee news', null],
        ['article.tags', 'removed', ['coffee'], null],
        ['variants.mastodon.text', 'removed', 'Our new latte', null],
      ],
    );
    assert.deepEqual(diffVersions(v1, normalizeContent({ ...v1 })), []);
  });
});
