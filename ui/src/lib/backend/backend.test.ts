import { describe, expect, it } from 'vitest';
import { BackendError, toBackendError } from './index';
import { ERROR_CODES } from '../bindings';

describe('toBackendError', () => {
  it('keeps a {code, message} from Rust', () => {
    const e = toBackendError({ code: 'engine_unavailable', message: 'No Docker engine answered.' });
    expect(e).toBeInstanceOf(BackendError);
    expect(e.code).toBe('engine_unavailable');
    expect(e.message).toBe('No Docker engine answered.');
  });

  it('turns anything else into an internal error that says what happened', () => {
    expect(toBackendError('Command foo not found').code).toBe('internal');
    expect(toBackendError('Command foo not found').message).toContain('Command foo not found');
    expect(toBackendError({ code: 'made_up', message: 'x' }).code).toBe('internal');
  });

  it('knows every code Rust has, new ones included', () => {
    for (const code of ERROR_CODES) expect(toBackendError({ code, message: 'm' }).code).toBe(code);
    expect(ERROR_CODES).toContain('partial');
    expect(ERROR_CODES).toContain('conflict');
  });
});
