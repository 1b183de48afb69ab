import { describe, expect, it } from 'vitest';
import { bytes, count, endpointHost, endpointTitle, exactTime, platformWords, relativeTime, shortDigest, shortRelativeTime } from './format';

describe('format', () => {
  it('uses binary units', () => {
    expect(bytes(0)).toBe('0 B');
    expect(bytes(1023)).toBe('1023 B');
    expect(bytes(1536)).toBe('1.5 KiB');
    expect(bytes(300 * 1024 * 1024)).toBe('300.0 MiB');
    expect(bytes(null)).toBe('—');
  });

  it('shortens digests to 12 hex characters', () => {
    expect(shortDigest('sha256:' + 'a'.repeat(64))).toBe('sha256:aaaaaaaaaaaa');
    expect(shortDigest('sha256:abc')).toBe('sha256:abc');
  });

  it('gives relative and exact times', () => {
    const now = new Date('2026-11-24T12:00:00Z');
    expect(relativeTime('2026-11-24T11:57:00Z', now)).toBe('3 minutes ago');
    expect(relativeTime('2026-11-23T12:00:00Z', now)).toBe('yesterday');
    expect(relativeTime('2025-11-24T12:00:00Z', now)).toBe('last year');
    expect(relativeTime(null, now)).toBe('—');
    expect(shortRelativeTime('2026-11-24T11:59:29Z', now)).toBe('31 sec. ago');
    expect(shortRelativeTime('2026-11-24T11:48:00Z', now)).toBe('12 min. ago');
    expect(shortRelativeTime('2026-11-23T12:00:00Z', now)).toBe('yesterday');
    expect(relativeTime('not a date', now)).toBe('—');
    expect(exactTime('2026-11-24T04:33:40.123Z')).toBe('2026-11-24 04:33:40 UTC');
  });

  it('counts', () => {
    expect(count(1, 'image')).toBe('1 image');
    expect(count(10000, 'image')).toBe('10,000 images');
    expect(count(2, 'repository', 'repositories')).toBe('2 repositories');
  });
});

describe('endpoint overrides in the top bar', () => {
  it('show the host and port, and the whole of both on hover', () => {
    expect(endpointHost('http://127.0.0.1:47401/')).toBe('127.0.0.1:47401');
    expect(endpointHost('https://ecr.eu-west-1.amazonaws.com')).toBe('ecr.eu-west-1.amazonaws.com');
    expect(endpointHost('127.0.0.1:5000')).toBe('127.0.0.1:5000');
    expect(endpointHost('not a url at all')).toBe('not a url at all');
    expect(endpointTitle('http://127.0.0.1:47401', '127.0.0.1:47402')).toBe('Endpoint overrides in use: API http://127.0.0.1:47401 · registry 127.0.0.1:47402');
    expect(endpointTitle(null, '127.0.0.1:47402')).toBe('Endpoint overrides in use: registry 127.0.0.1:47402');
  });
});

describe('platforms in the images table', () => {
  it('leave out linux/ when every platform is Linux, and keep others whole', () => {
    expect(platformWords(['linux/amd64', 'linux/arm64/v8'])).toBe('amd64, arm64/v8');
    expect(platformWords(['linux/amd64', 'windows/amd64'])).toBe('linux/amd64, windows/amd64');
    expect(platformWords([])).toBe('—');
  });
});
