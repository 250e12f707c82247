import { describe, expect, it } from 'vitest';
import { age, money, percent, ratio, signedMoney } from './numbers.js';

describe('money', () => {
  it('groups thousands and rounds half away from zero as text', () => {
    expect(money('1234567.891')).toBe('1,234,567.89');
    expect(money('0.005')).toBe('0.01');
    expect(money('-0.005')).toBe('-0.01');
    expect(money('-12345.675')).toBe('-12,345.68');
    expect(money('999.995')).toBe('1,000.00');
    expect(money('42')).toBe('42.00');
  });
  it('keeps digits a float would lose', () => {
    expect(money('12345678901234567.89')).toBe('12,345,678,901,234,567.89');
  });
  it('shows a dash for nothing and unknown text as is', () => {
    expect(money(null)).toBe('—');
    expect(money('n/a')).toBe('n/a');
    expect(money('-0.001')).toBe('0.00');
  });
  it('signs P&L', () => {
    expect(signedMoney('12.5')).toBe('+12.50');
    expect(signedMoney('-3.1')).toBe('-3.10');
    expect(signedMoney('0')).toBe('0.00');
  });
});

describe('ratios and ages', () => {
  it('formats finite numbers and dashes the rest', () => {
    expect(ratio(1.23456)).toBe('1.23');
    expect(ratio(null)).toBe('—');
    expect(ratio(Number.POSITIVE_INFINITY)).toBe('—');
    expect(percent(55.555, 1)).toBe('55.6%');
    expect(age(850)).toBe('850 ms');
    expect(age(12_340)).toBe('12.3 s');
    expect(age(null)).toBe('—');
  });
});
