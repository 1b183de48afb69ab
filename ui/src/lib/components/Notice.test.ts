import { describe, expect, it } from 'vitest';
import { contextOnce } from './Notice.svelte';

// What berth-aws's sdk_error answers: "Could not {action}: …", with the context for the CLI.
const NO_CREDENTIALS =
  'Could not list repositories: no AWS credentials were found (no providers in chain provided credentials). Choose or add a profile, or configure this one (`aws configure`).';
const UNREACHABLE =
  'Could not list the images of api/orders: the AWS API endpoint cannot be reached (Connection refused (os error 111)). Check your network, VPN or the profile\'s endpoint override, then retry.';

describe('notices say their context once', () => {
  it('drops the context the title already says', () => {
    expect(contextOnce('Could not list repositories', NO_CREDENTIALS)).toEqual({
      title: 'Could not list repositories',
      body: 'no AWS credentials were found (no providers in chain provided credentials). Choose or add a profile, or configure this one (`aws configure`).',
    });
  });

  it('takes a more precise context of the message as the title', () => {
    const shown = contextOnce('Could not list the images', UNREACHABLE);
    expect(shown.title).toBe('Could not list the images of api/orders');
    expect(shown.body.startsWith('the AWS API endpoint cannot be reached')).toBe(true);
  });

  it('keeps messages with another context, or none, whole', () => {
    const other = 'Could not read the scan findings of web@sha256:abc: access denied (x).';
    expect(contextOnce('Could not compare', other)).toEqual({ title: 'Could not compare', body: other });
    const plain = 'The registry 127.0.0.1:5000 cannot be reached. Check the network, then retry.';
    expect(contextOnce('Could not read the image', plain)).toEqual({ title: 'Could not read the image', body: plain });
    // A repository:tag in a context is not where the context ends.
    const tagged = 'Could not read api/orders:1.0: not found (HTTP 404).';
    expect(contextOnce('Could not read api/orders:1.0', tagged).body).toBe('not found (HTTP 404).');
    expect(contextOnce('Could not list repositories', 'Could not list repositories.').body).toBe('');
  });
});
