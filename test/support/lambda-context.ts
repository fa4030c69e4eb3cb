import type { Context } from 'aws-lambda';

/**
 * A fake Lambda `Context` with fixed values, shared by every handler test (the shape follows
 * Powertools' testing helper). `getRemainingTimeInMillis` reports a full minute.
 */
export function createLambdaContext(overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'PublishFunction',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:PublishFunction',
    memoryLimitInMB: '512',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: '/aws/lambda/PublishFunction',
    logStreamName: '2026/01/01/[$LATEST]abcdef0123456789',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}
