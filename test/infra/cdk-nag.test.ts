import { App, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { CDK_CONTEXT, describeViolations, findNagViolations, synthFeedPublisher } from './synth-feed-publisher.js';

describe('cdk-nag AwsSolutions and Serverless checks', () => {
  it('finds nothing unacknowledged with the default props', () => {
    // Prepare
    const { stack } = synthFeedPublisher();

    // Act
    const violations = findNagViolations(stack);

    // Assess
    expect(describeViolations(violations)).toEqual([]);
  });

  it('finds nothing unacknowledged with tracing, a custom domain and an alarm e-mail', () => {
    // Prepare
    const { stack } = synthFeedPublisher(
      { tracing: true, alarmEmail: 'ops@example.com' },
      {
        extend: (s) => ({
          domain: {
            domainName: 'feeds.example.com',
            certificate: acm.Certificate.fromCertificateArn(s, 'Certificate', 'arn:aws:acm:us-east-1:111122223333:certificate/abc'),
          },
        }),
      },
    );

    // Act
    const violations = findNagViolations(stack);

    // Assess
    expect(describeViolations(violations)).toEqual([]);
  });

  it('finds nothing unacknowledged with an existing content bucket', () => {
    // Prepare
    const { stack } = synthFeedPublisher({}, { extend: (s) => ({ existingContentBucket: s3.Bucket.fromBucketName(s, 'Content', 'my-articles') }) });

    // Act
    const violations = findNagViolations(stack);

    // Assess
    expect(describeViolations(violations)).toEqual([]);
  });

  it('reports a finding that nobody acknowledged', () => {
    // Prepare: a bucket without access logs or TLS enforcement next to the publisher.
    const { stack } = synthFeedPublisher({}, { extend: (s) => (new s3.Bucket(s, 'Careless'), {}) });

    // Act
    const rules = findNagViolations(stack).map((violation) => violation.ruleName);

    // Assess
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });

  it('makes synthesis fail on an unacknowledged finding, as `npm run synth` does', () => {
    // Prepare
    const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
    new s3.Bucket(new Stack(app, 'Careless'), 'Bucket');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));

    // Act / Assess
    expect(() => app.synth()).toThrow(/validation/i);
  });
});
