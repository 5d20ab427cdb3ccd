import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { entityKey, extractEntities, hashtagKey, mentionKey } from '../../src/domain/entities.js';

const tags = (text: string | string[]) => extractEntities(text).hashtags;
const mentions = (text: string | string[]) => extractEntities(text).mentions;

describe('hashtags', () => {
  test('any script, up to the first character that is not part of a word', () => {
    assert.deepEqual(tags('Try our #CaféLatte, #東京 and #Ελλάδα! #naïve_2027.'), ['CaféLatte', '東京', 'Ελλάδα', 'naïve_2027']);
    assert.deepEqual(tags('#one#two (#three) "#four"'), ['one', 'three', 'four']);
  });

  test('a tag needs a letter; one glued to a word or an entity is no tag', () => {
    assert.deepEqual(tags('#1 #2027 #1st C# a#b &#39; ##double'), ['1st']);
  });

  test('never inside a URL, with or without a scheme', () => {
    assert.deepEqual(tags('see https://shop.example/menu#CaféLatte and www.example.com/#Top or shop.example/#Deal #Real'), ['Real']);
  });

  test('each tag once, compared case-insensitively and after Unicode normalisation; first spelling kept', () => {
    assert.deepEqual(tags(['#CaféLatte #cafélatte', '#CAFÉLATTE #Cafe\u0301Latte']), ['CaféLatte']);
  });
});

describe('mentions', () => {
  test('@user, dotted handles and the fediverse form @user@instance', () => {
    assert.deepEqual(mentions('Thanks @Bob, @first.last and @alice@mastodon.social. Also @carol.bsky.social!'), ['Bob', 'first.last', 'alice@mastodon.social', 'carol.bsky.social']);
  });

  test('an e-mail address is not a mention, nor is its domain', () => {
    assert.deepEqual(mentions('write to hello@shop.example or jane.doe+news@mail.example.org, ping @jane'), ['jane']);
  });

  test('a handle inside a URL is not a mention', () => {
    assert.deepEqual(mentions('https://medium.com/@writer/story and https://mastodon.social/@bob@example.org'), []);
  });

  test('each handle once, case-insensitively; a trailing dot or dash is punctuation', () => {
    assert.deepEqual(mentions('@Bob @bob @BOB. @alice@Mastodon.Social @ALICE@mastodon.social- @dave-'), ['Bob', 'alice@Mastodon.Social', 'dave']);
  });
});

describe('filter keys', () => {
  test('a filter value matches the stored key with or without its sigil', () => {
    assert.equal(hashtagKey('#CaféLatte'), entityKey('cafélatte'));
    assert.equal(hashtagKey('Cafe\u0301Latte'), entityKey('CaféLatte'));
    assert.equal(mentionKey('@Alice@Mastodon.Social'), 'alice@mastodon.social');
  });
});
