import { describe, expect, it } from 'vitest';
import { joinRef, parseAddress, splitRef, stripHost } from './address';

describe('address bar', () => {
  it('opens repositories, images and comparisons', () => {
    expect(parseAddress('api/orders')).toEqual({ kind: 'repo', name: 'api/orders' });
    expect(parseAddress('api/orders:1.1.0')).toEqual({ kind: 'image', repository: 'api/orders', reference: '1.1.0' });
    expect(parseAddress(`web@sha256:${'a'.repeat(64)}`)).toEqual({ kind: 'image', repository: 'web', reference: `sha256:${'a'.repeat(64)}` });
    expect(parseAddress('web:1 ⇄ web:2')).toEqual({ kind: 'compare', a: 'web:1', b: 'web:2' });
    expect(parseAddress('web:1 <-> local:demo/web:next')).toEqual({ kind: 'compare', a: 'web:1', b: 'local:demo/web:next' });
    expect(parseAddress('web:1 vs web:2').kind).toBe('compare');
  });

  it('takes full URIs and says what is wrong', () => {
    expect(stripHost('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:1')).toBe('team/api:1');
    expect(stripHost('127.0.0.1:47301/web:2')).toBe('web:2');
    expect(parseAddress('127.0.0.1:5000/web:2 ⇄ web:1')).toEqual({ kind: 'compare', a: 'web:2', b: 'web:1' });
    expect(parseAddress('Web Repo').kind).toBe('invalid');
    expect(parseAddress('web ⇄ web:2').kind).toBe('invalid');
    expect(parseAddress('').kind).toBe('invalid');
  });

  it('splits and joins references', () => {
    expect(splitRef('a/b:1')).toEqual({ repository: 'a/b', reference: '1' });
    expect(splitRef('a/b')).toEqual({ repository: 'a/b', reference: null });
    expect(joinRef('a', 'sha256:x')).toBe('a@sha256:x');
    expect(joinRef('a', 'v1')).toBe('a:v1');
  });
});
