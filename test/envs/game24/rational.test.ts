import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../../src/core/rng.ts';
import {
  add,
  compare,
  div,
  equals,
  fromNumber,
  isRoundedDecimalOf,
  mul,
  parseRational,
  rational,
  RationalError,
  sub,
  toString,
  tryParseRational,
  type Rational,
} from '../../../src/envs/game24/rational.ts';

const q = parseRational;

describe('rational parsing and canonical text', () => {
  it('reads integers, fractions and decimals into canonical text', () => {
    const cases: [string, string][] = [
      ['3', '3'],
      ['-1/2', '-1/2'],
      ['1.5', '3/2'],
      ['0.666', '333/500'],
      ['.5', '1/2'],
      ['6/4', '3/2'],
      ['4/-6', '-2/3'],
      ['\u22122', '-2'],
      ['12/4', '3'],
      ['-0', '0'],
      ['24.000', '24'],
    ];
    for (const [text, canonical] of cases) assert.equal(toString(q(text)), canonical, text);
  });

  it('keeps the sign in the numerator and the fraction reduced', () => {
    const r = rational(6n, -4n);
    assert.deepEqual(r, { num: -3n, den: 2n });
  });

  it('rejects text that is not a number, naming it', () => {
    for (const text of ['', 'abc', '1/0', '1..2', '1/2/3', '2x', '.']) {
      assert.equal(tryParseRational(text), null, text);
    }
    assert.throws(() => parseRational('seven'), (error: unknown) => error instanceof RationalError && /'seven'/.test(error.message));
  });

  it('converts JS numbers by their decimal form, not their binary value', () => {
    assert.equal(toString(fromNumber(0.1)), '1/10');
    assert.equal(toString(fromNumber(13)), '13');
    assert.equal(toString(fromNumber(1e-7)), '1/10000000');
  });
});

describe('rational arithmetic', () => {
  it('is exact where floating point is not', () => {
    assert.equal(toString(div(q('8'), sub(q('3'), div(q('8'), q('3'))))), '24');
    assert.equal(toString(add(add(q('1/3'), q('1/3')), q('1/3'))), '1');
    assert.equal(toString(add(q('0.1'), q('0.2'))), '3/10');
    assert.notEqual(0.1 + 0.2, 0.3);
  });

  it('satisfies inverse and ordering laws on random values', () => {
    const rng = createRng('rational-laws');
    const random = (): Rational => rational(BigInt(rng.int(41) - 20), BigInt(rng.int(12) + 1));
    for (let n = 0; n < 500; n++) {
      const [x, y, z] = [random(), random(), random()];
      assert.ok(equals(sub(add(x, y), y), x));
      assert.ok(equals(mul(x, add(y, z)), add(mul(x, y), mul(x, z))));
      if (y.num !== 0n) assert.ok(equals(mul(div(x, y), y), x));
      assert.equal(compare(x, y), -compare(y, x) || 0);
      assert.equal(compare(x, y) === 0, equals(x, y));
      assert.equal(toString(parseRational(toString(x))), toString(x));
    }
  });

  it('throws RationalError on division by zero', () => {
    assert.throws(() => div(q('5'), q('0')), RationalError);
    assert.throws(() => rational(1n, 0n), RationalError);
  });

  it('tells a rounded decimal from a plain mistake', () => {
    assert.ok(isRoundedDecimalOf('0.666', q('2/3')));
    assert.ok(isRoundedDecimalOf('6.67', q('20/3')));
    assert.ok(isRoundedDecimalOf('1.2857', q('9/7')));
    assert.ok(!isRoundedDecimalOf('0.5', q('2/3')), '0.5 is more than one unit of 0.1 away from 2/3');
    assert.ok(!isRoundedDecimalOf('1.33', q('7/3')));
    assert.ok(!isRoundedDecimalOf('24', q('23')), 'an integer is never a rounding');
  });
});
