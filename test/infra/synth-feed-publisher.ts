import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { PolicyViolation } from 'aws-cdk-lib';
import { FeedPublisher, type FeedPublisherProps } from '../../infra/constructs/feed-publisher.js';

/** The feature flags `cdk synth` uses, so tests synthesize what a deploy would. */
export const CDK_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

/** What a test gets back from {@link synthFeedPublisher}. */
export interface SynthesizedPublisher {
  readonly app: App;
  readonly stack: Stack;
  readonly publisher: FeedPublisher;
  readonly template: Template;
}

/** Options of {@link synthFeedPublisher}. */
export interface SynthOptions {
  /** Bundle the real handler with esbuild (slow-ish); otherwise the asset is a placeholder. */
  readonly bundle?: boolean;
  /** Adds more to the stack before synthesis (an imported bucket, a topic, ...). */
  readonly extend?: (stack: Stack) => FeedPublisherProps;
}

/** Synthesizes one stack holding one FeedPublisher, with the project's context flags. */
export function synthFeedPublisher(props: FeedPublisherProps = {}, options: SynthOptions = {}): SynthesizedPublisher {
  const context = { ...CDK_CONTEXT, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) };
  const app = new App({ context });
  const stack = new Stack(app, 'Test');
  const publisher = new FeedPublisher(stack, 'FeedPublisher', { ...props, ...options.extend?.(stack) });
  return { app, stack, publisher, template: Template.fromStack(stack) };
}

/** The rule findings AwsSolutions and Serverless report on the (synthesized) stack. */
export function findNagViolations(stack: Stack): PolicyViolation[] {
  return [new AwsSolutionsChecks(stack), new ServerlessChecks(stack)].flatMap((pack) => pack.validateScope(stack).violations);
}

/** "rule at path" lines, readable in a failed assertion. */
export function describeViolations(violations: readonly PolicyViolation[]): string[] {
  return violations.flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath ?? resource.resourceLogicalId}`));
}
