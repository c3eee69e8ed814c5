import { ConfigError, loadConfig } from '../../src/lib/config/load';

/** The problems a configuration is refused for; fails the test when it is accepted. */
export function problemsOf(env: Record<string, string>) {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
