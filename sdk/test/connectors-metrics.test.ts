import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { engagementBase, engagementRate, engagements, percentOf } from '@markettina/sdk';

describe('engagement rate', () => {
  test('(likes + comments + shares) / impressions × 100', () => {
    assert.equal(engagementRate({ impressions: 1000, likes: 30, comments: 5, shares: 15 }), 5);
    assert.equal(engagementRate({ impressions: 3, likes: 1 }), 100 / 3);
    assert.equal(engagementRate({ impressions: 200, views: 50, likes: 10 }), 5, 'impressions win over views');
  });

  test('views stand in where the platform counts no impressions', () => {
    assert.equal(engagementRate({ views: 400, likes: 8, comments: 2, shares: 10 }), 5);
    assert.equal(engagementRate({ impressions: 0, views: 100, likes: 1 }), 1, 'a reported 0 falls through to views');
  });

  test('null with nothing to divide by, or nothing engaged counted', () => {
    assert.equal(engagementRate({ likes: 5 }), null, 'neither impressions nor views');
    assert.equal(engagementRate({ impressions: 0, views: 0, likes: 5 }), null, 'both 0');
    assert.equal(engagementRate({ impressions: 0, likes: 0 }), null);
    assert.equal(engagementRate({ impressions: 100, clicks: 4 }), null, 'no likes, comments or shares reported');
    assert.equal(engagementRate({ impressions: 100, likes: 0 }), 0, 'a reported 0 is a real 0 %');
  });

  test('engagements and base separately', () => {
    assert.equal(engagements({ likes: 1, shares: 2 }), 3);
    assert.equal(engagements({ clicks: 9 }), null);
    assert.equal(engagementBase({ views: 7 }), 7);
    assert.equal(engagementBase({}), null);
  });

  test('percentages are not rounded, and whole-number results are exact', () => {
    assert.equal(percentOf(1, 3), 100 / 3);
    assert.equal(percentOf(7, 100), 7, 'not 7.000000000000001');
    assert.equal(percentOf(35, 1000), 3.5);
  });

  test('may exceed 100 when interactions outnumber impressions', () => {
    assert.equal(engagementRate({ impressions: 10, likes: 25 }), 250);
  });
});
