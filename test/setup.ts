// aws-sdk-client-mock matchers with their aliases (toReceiveCommandWith, toReceiveCommandTimes,
// toHaveReceivedCommandWith, ...) and their types: `allCustomMatcher` alone has no toReceive* names.
import 'aws-sdk-client-mock-vitest/extend';

// Powertools loggers write JSON to stdout; keep test output readable unless asked.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_DEV ??= 'false';
