import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { binomial, bootstrapMeanInterval, pairedPermutationTest, passAtK, reduceEpochs, wilsonInterval } from '../../src/eval/stats.ts';

const close = (actual: number, expected: number, digits = 4) => assert.ok(Math.abs(actual - expected) < 10 ** -digits, `${actual} ≈ ${expected}`);

describe('Wilson interval', () => {
  test('matches hand-computed values', () => {
    // 8 of 10, z = 1.96: centre (0.8 + 0.19208) / 1.38416 = 0.71679, half 1.95996·√(0.016 + 0.0096040)/1.38416 = 0.22657.
    const i = wilsonInterval(8, 10);
    close(i.estimate, 0.8);
    close(i.low, 0.4902, 3);
    close(i.high, 0.9433, 3);
  });
  test('0 of n has a zero lower bound and a positive upper bound; no trials is [0, 1]', () => {
    const none = wilsonInterval(0, 5);
    assert.equal(none.low, 0);
    close(none.high, 0.4345, 3);
    assert.deepEqual(wilsonInterval(0, 0), { estimate: 0, low: 0, high: 1 });
    const all = wilsonInterval(5, 5);
    assert.equal(all.high, 1);
    close(all.low, 1 - 0.4345, 3);
  });
});

describe('pass@k', () => {
  test('the unbiased estimator 1 − C(n−c,k)/C(n,k)', () => {
    // n=5, c=2, k=2: 1 − C(3,2)/C(5,2) = 1 − 3/10.
    close(passAtK(5, 2, 2), 0.7);
    // n=4, c=1, k=1 is the plain success rate.
    close(passAtK(4, 1, 1), 0.25);
    // n=10, c=3, k=5: 1 − C(7,5)/C(10,5) = 1 − 21/252.
    close(passAtK(10, 3, 5), 1 - 21 / 252);
    assert.equal(passAtK(3, 0, 3), 0);
    assert.equal(passAtK(3, 2, 2), 1, 'n − c < k: every draw of k holds a success');
    assert.equal(binomial(10, 5), 252);
  });
  test('k outside 1..n is refused', () => {
    assert.throws(() => passAtK(2, 1, 3), RangeError);
  });
});

describe('epoch reducers', () => {
  test('mean, max, majority and pass@k over one task\'s epochs', () => {
    const epochs = [1, 0, 1, 0];
    assert.equal(reduceEpochs(epochs, 'mean'), 0.5);
    assert.equal(reduceEpochs(epochs, 'max'), 1);
    assert.equal(reduceEpochs(epochs, 'majority'), 0, 'a tie is not a majority');
    assert.equal(reduceEpochs([1, 1, 0], 'majority'), 1);
    close(reduceEpochs(epochs, 'pass@2'), 1 - 1 / 6);
  });
});

describe('paired permutation test', () => {
  test('exact p-values by enumeration', () => {
    // Five tasks all favouring A: only the all-positive and all-negative flips are as extreme: 2/32.
    assert.deepEqual(pairedPermutationTest([1, 1, 1, 1, 1, 0, 0]), { pValue: 2 / 32, exact: true });
    // Three for A, one for B: |sum| ≥ 2 unless two flips cancel: 1 − C(4,2)/16 = 10/16.
    assert.deepEqual(pairedPermutationTest([1, 1, 1, -1]), { pValue: 10 / 16, exact: true });
    assert.deepEqual(pairedPermutationTest([0, 0]), { pValue: 1, exact: true });
  });
  test('fractional differences (epoch means) are permuted as they are', () => {
    // |0.5 ± 0.5| ≥ 1 only for equal signs: 2 of 4.
    assert.equal(pairedPermutationTest([0.5, 0.5]).pValue, 0.5);
  });
  test('many differing tasks fall back to seeded Monte Carlo, reproducibly', () => {
    const differences = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? -1 : 1));
    const a = pairedPermutationTest(differences, { seed: 3 });
    assert.equal(a.exact, false);
    assert.deepEqual(pairedPermutationTest(differences, { seed: 3 }), a);
    // Sum 10 of 30 signs: the exact two-sided binomial tail P(|S| ≥ 10) is about 0.099.
    assert.ok(Math.abs(a.pValue - 0.0987) < 0.015, `p ${a.pValue}`);
  });
});

describe('bootstrap interval', () => {
  test('brackets the mean, is reproducible for a seed, and collapses for constant differences', () => {
    const differences = [1, 0, 1, 1, 0, 0, 1, 1, 1, 0];
    const a = bootstrapMeanInterval(differences, { seed: 1 });
    assert.equal(a.estimate, 0.6);
    assert.ok(a.low < 0.6 && a.high > 0.6 && a.low >= 0 && a.high <= 1);
    assert.deepEqual(bootstrapMeanInterval(differences, { seed: 1 }), a);
    assert.deepEqual(bootstrapMeanInterval([0.5, 0.5, 0.5], { seed: 1 }), { estimate: 0.5, low: 0.5, high: 0.5 });
    // The normal approximation for this sample: 0.6 ± 1.96·√(0.24/10) = [0.30, 0.90].
    assert.ok(Math.abs(a.low - 0.3) <= 0.1 && Math.abs(a.high - 0.9) <= 0.1, `${a.low}–${a.high}`);
  });
});
