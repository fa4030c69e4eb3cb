import { expect } from 'vitest';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';

// aws-sdk-client-mock matchers: toReceiveCommandWith, toReceiveCommandTimes, ...
expect.extend(allCustomMatcher);

// Powertools loggers write JSON to stdout; keep test output readable unless asked.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_DEV ??= 'false';
