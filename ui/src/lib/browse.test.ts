import { describe, expect, it } from 'vitest';
import { filterTags, fullReference, hostOf, isForeign, pullCommand, splitFull, typedRepository } from './browse';

describe('references of other registries', () => {
  it('names the registry by its first component', () => {
    expect(hostOf('127.0.0.1:5000/team/web:1')).toBe('127.0.0.1:5000');
    expect(hostOf('ghcr.io/org/app')).toBe('ghcr.io');
    expect(hostOf('localhost/x:1')).toBe('localhost');
    expect(hostOf('api/orders:1.0')).toBeNull();
    expect(hostOf('local:web:dev')).toBeNull();
    expect(isForeign('123456789012.dkr.ecr.us-west-2.amazonaws.com/web:2')).toBe(true);
    expect(isForeign('web:2')).toBe(false);
  });

  it('splits and joins full references', () => {
    expect(splitFull('127.0.0.1:5000/team/library/alpine:3')).toEqual({ host: '127.0.0.1:5000', repository: 'team/library/alpine', reference: '3' });
    expect(splitFull('ghcr.io/org/app')).toEqual({ host: 'ghcr.io', repository: 'org/app', reference: null });
    expect(splitFull('ghcr.io/org/app@sha256:abc')?.reference).toBe('sha256:abc');
    expect(fullReference('ghcr.io/org/app', '1.2')).toBe('ghcr.io/org/app:1.2');
    expect(fullReference('ghcr.io/org/app', 'sha256:abc')).toBe('ghcr.io/org/app@sha256:abc');
    expect(pullCommand('ghcr.io/org/app:1.2')).toBe('docker pull ghcr.io/org/app:1.2');
  });

  it('takes a typed repository with or without the host and a tag', () => {
    expect(typedRepository(' team/web ', 'h:1')).toBe('team/web');
    expect(typedRepository('h:1/team/web:2', 'h:1')).toBe('team/web');
    expect(typedRepository('team/web@sha256:aa', 'h:1')).toBe('team/web');
    expect(typedRepository('Team/Web', 'h:1')).toBeNull();
    expect(typedRepository('', 'h:1')).toBeNull();
    expect(typedRepository('a//b', 'h:1')).toBeNull();
  });

  it('filters tags by every word and sorts versions highest first', () => {
    const tags = ['1.2', '1.10', 'latest', 'dev-arm', '1.9', 'dev-amd'];
    expect(filterTags(tags, '')).toEqual(['latest', 'dev-arm', 'dev-amd', '1.10', '1.9', '1.2']);
    expect(filterTags(tags, '1.')).toEqual(['1.10', '1.9', '1.2']);
    expect(filterTags(tags, 'dev arm')).toEqual(['dev-arm']);
  });
});
