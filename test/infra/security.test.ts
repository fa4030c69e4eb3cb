import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Match } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandler } from '../../lambdas/publish/create-handler.js';
import { toSqsEvent } from '../fixtures/events/load-event.js';
import { injectFaults, type S3Call } from '../support/fault-injection.js';
import { createLambdaContext } from '../support/lambda-context.js';
import { createLocalS3Client, startS3Server, type RunningS3Server } from '../../local/s3-server.js';
import { synthFeedPublisher, type SynthesizedPublisher } from './synth-feed-publisher.js';

// Keep the test output free of Embedded Metric Format lines.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

/**
 * Security properties that must hold for the whole stack, whatever the props: no public bucket,
 * TLS only, least privilege (checked against the S3 calls the handler really makes) and the
 * security headers on every path. Single resources are pinned in feed-publisher.test.ts; these
 * tests sweep every resource of a type, so a new bucket, behaviour or policy is covered too.
 */

interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: unknown;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

const VARIANTS: [string, () => SynthesizedPublisher][] = [
  ['the default props', () => synthFeedPublisher()],
  [
    'a custom domain, tracing, an alarm e-mail and partner access',
    () =>
      synthFeedPublisher(
        { tracing: true, alarmEmail: 'ops@example.com', partnerAccess: {} },
        {
          extend: (stack) => ({
            domain: {
              domainName: 'feeds.example.com',
              certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', 'arn:aws:acm:us-east-1:111122223333:certificate/abc'),
            },
          }),
        },
      ),
  ],
  ['an existing content bucket', () => synthFeedPublisher({}, { extend: (stack) => ({ existingContentBucket: s3.Bucket.fromBucketName(stack, 'Content', 'my-articles') }) })],
];

function resourcesOf(publisher: SynthesizedPublisher, type: string): [string, Resources[string]][] {
  return Object.entries(publisher.template.toJSON().Resources as Resources).filter(([, resource]) => resource.Type === type);
}

function statementsOf(publisher: SynthesizedPublisher, type: string): { id: string; statement: Statement }[] {
  return resourcesOf(publisher, type).flatMap(([id, resource]) =>
    (resource.Properties.PolicyDocument.Statement as Statement[]).map((statement) => ({ id, statement })),
  );
}

const asList = <T,>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** True when a principal is anyone: `*` or `{ AWS: '*' }`. */
function isPublicPrincipal(principal: unknown): boolean {
  return principal === '*' || asList((principal as { AWS?: unknown } | undefined)?.AWS).includes('*');
}

describe.each(VARIANTS)('stack security with %s', (_name, synth) => {
  let publisher: SynthesizedPublisher;

  beforeAll(() => {
    // Prepare / Act
    publisher = synth();
  });

  it('blocks every form of public access on every bucket', () => {
    // Assess
    const buckets = resourcesOf(publisher, 'AWS::S3::Bucket');
    expect(buckets.length).toBeGreaterThanOrEqual(2);
    for (const [, bucket] of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it('allows nothing to an anonymous principal and every service principal only for one source', () => {
    // Prepare
    const allows = [...statementsOf(publisher, 'AWS::S3::BucketPolicy'), ...statementsOf(publisher, 'AWS::SQS::QueuePolicy')].filter(
      ({ statement }) => statement.Effect === 'Allow',
    );

    // Assess
    expect(allows.length).toBeGreaterThan(0);
    expect(allows.filter(({ statement }) => isPublicPrincipal(statement.Principal))).toEqual([]);
    for (const { statement } of allows) {
      const conditions = JSON.stringify(statement.Condition ?? {});
      expect(conditions, `${JSON.stringify(statement.Principal)} ${asList(statement.Action).join(',')}`).toMatch(/aws:SourceArn/i);
    }
  });

  it('lets S3 send to a queue only for a bucket of this account', () => {
    // Prepare
    const fromS3 = statementsOf(publisher, 'AWS::SQS::QueuePolicy').filter(
      ({ statement }) => statement.Effect === 'Allow' && JSON.stringify(statement.Principal).includes('s3.amazonaws.com'),
    );

    // Assess
    expect(fromS3.length).toBeGreaterThan(0);
    for (const { statement } of fromS3) {
      expect(statement.Condition?.ArnLike?.['aws:SourceArn']).toBeDefined();
      expect(statement.Condition?.StringEquals?.['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    }
  });

  it('names the account that owns the buckets to the publish function, for ExpectedBucketOwner', () => {
    // Assess
    publisher.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ EXPECTED_BUCKET_OWNER: { Ref: 'AWS::AccountId' } }) },
    });
  });

  it('denies every request without TLS on every bucket and queue', () => {
    // Prepare
    const denied = new Set(
      [...statementsOf(publisher, 'AWS::S3::BucketPolicy'), ...statementsOf(publisher, 'AWS::SQS::QueuePolicy')]
        .filter(({ statement }) => statement.Effect === 'Deny' && isPublicPrincipal(statement.Principal))
        .filter(({ statement }) => statement.Condition?.Bool?.['aws:SecureTransport'] === 'false')
        .map(({ id }) => id),
    );
    const policyOf = (type: string, property: string) =>
      resourcesOf(publisher, type).map(([, policy]) => JSON.stringify(policy.Properties[property]));
    const guarded = [...policyOf('AWS::S3::BucketPolicy', 'Bucket'), ...policyOf('AWS::SQS::QueuePolicy', 'Queues')];

    // Assess
    expect(denied.size).toBe(guarded.length);
    for (const [id] of resourcesOf(publisher, 'AWS::S3::Bucket')) expect(guarded).toContain(JSON.stringify({ Ref: id }));
    for (const [id] of resourcesOf(publisher, 'AWS::SQS::Queue')) expect(guarded).toContain(JSON.stringify([{ Ref: id }]));
  });

  it('redirects every cache behaviour to HTTPS and sends the security headers on each', () => {
    // Prepare
    const [[, distribution]] = resourcesOf(publisher, 'AWS::CloudFront::Distribution') as [[string, Resources[string]]];
    const config = distribution.Properties.DistributionConfig;
    const behaviours = [config.DefaultCacheBehavior, ...(config.CacheBehaviors ?? [])] as { ViewerProtocolPolicy: string; ResponseHeadersPolicyId: { Ref: string } }[];
    const policies = new Map(resourcesOf(publisher, 'AWS::CloudFront::ResponseHeadersPolicy'));

    // Assess
    for (const behaviour of behaviours) {
      expect(behaviour.ViewerProtocolPolicy).toBe('redirect-to-https');
      const headers = policies.get(behaviour.ResponseHeadersPolicyId.Ref)?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
      expect(headers).toMatchObject({
        ContentSecurityPolicy: { ContentSecurityPolicy: expect.stringContaining("default-src 'none'"), Override: true },
        ContentTypeOptions: { Override: true },
        FrameOptions: { FrameOption: 'DENY', Override: true },
        ReferrerPolicy: { ReferrerPolicy: expect.any(String), Override: true },
        StrictTransportSecurity: { AccessControlMaxAgeSec: expect.any(Number), Override: true },
      });
      expect(headers.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    }
  });

  it('uses no wildcard action or resource outside the grants CDK itself makes', () => {
    // Prepare
    const allows = [...statementsOf(publisher, 'AWS::IAM::Policy')].filter(({ statement }) => statement.Effect === 'Allow');
    const wildcards = allows.flatMap(({ id, statement }) => {
      const actions = asList(statement.Action).filter((action) => action.includes('*'));
      const anyResource = asList(statement.Resource).includes('*');
      return actions.length > 0 || anyResource ? [{ id, actions, anyResource, allActions: asList(statement.Action) }] : [];
    });

    // Assess: BucketDeployment's role (CDK's own grantReadWrite on the content bucket and the
    // asset bucket) is the only one with wildcard actions; X-Ray accepts no resource but `*`.
    for (const wildcard of wildcards) {
      if (wildcard.anyResource) expect(wildcard.allActions.every((action) => action.startsWith('xray:Put'))).toBe(true);
      if (wildcard.actions.length > 0) expect(wildcard.id).toMatch(/^CustomCDKBucketDeployment/);
    }
    expect(allows.flatMap(({ statement }) => asList(statement.Action)).filter((action) => action === '*' || action.endsWith(':*'))).toEqual([]);
  });
});

describe('stack security with a custom domain', () => {
  it('accepts TLS 1.2 (2021 policy) or newer only, over SNI', () => {
    // Prepare
    const [, synth] = VARIANTS[1]!;

    // Act
    const { template } = synth();

    // Assess
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: { ViewerCertificate: { MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only', AcmCertificateArn: Match.anyValue() } },
    });
  });
});

/** The IAM action each S3 call needs (HeadObject is authorized as s3:GetObject). */
const ACTION_OF: Record<string, string> = {
  GetObjectCommand: 's3:GetObject',
  HeadObjectCommand: 's3:GetObject',
  PutObjectCommand: 's3:PutObject',
  DeleteObjectCommand: 's3:DeleteObject',
  ListObjectsV2Command: 's3:ListBucket',
};

/** An IAM resource string with `*` wildcards as a regular expression. */
function toPattern(resource: string): RegExp {
  return new RegExp(`^${resource.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

describe('publish role against the S3 calls the handler makes', () => {
  let s3rver: RunningS3Server;
  let calls: S3Call[];
  let statements: Statement[];
  let bucketNames: Map<string, string>;

  /** `arn:<bucket>` or `arn:<bucket>/<suffix>` for a bucket ARN token, so policies compare with calls. */
  function resolveResource(resource: unknown): string {
    const getAtt = (value: unknown): string => {
      const [id] = (value as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
      return `arn:${bucketNames.get(id) ?? id}`;
    };
    if ((resource as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt']) return getAtt(resource);
    const [, [arn, suffix]] = (resource as { 'Fn::Join': [string, [unknown, string]] })['Fn::Join'];
    return `${getAtt(arn)}${suffix}`;
  }

  function allows(call: S3Call): boolean {
    const action = ACTION_OF[call.command];
    const resource = call.command === 'ListObjectsV2Command' ? `arn:${call.bucket}` : `arn:${call.bucket}/${call.key}`;
    return statements.some((statement) => {
      if (!asList(statement.Action).includes(action!)) return false;
      if (!asList(statement.Resource).some((granted) => toPattern(resolveResource(granted)).test(resource))) return false;
      const prefixes = asList(statement.Condition?.StringLike?.['s3:prefix'] as string[] | undefined);
      return prefixes.length === 0 || prefixes.some((prefix) => toPattern(prefix).test(call.prefix ?? ''));
    });
  }

  beforeAll(async () => {
    // Prepare: the role as synthesized, with the two buckets named as the handler sees them.
    const publisher = synthFeedPublisher();
    const role = resourcesOf(publisher, 'AWS::IAM::Role').find(([, r]) => /Feed publisher/.test(String(r.Properties.Description)));
    const policy = resourcesOf(publisher, 'AWS::IAM::Policy').find(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: role?.[0] }]));
    statements = (policy?.[1].Properties.PolicyDocument.Statement as Statement[]).filter((statement) => asList(statement.Action).some((a) => a.startsWith('s3:')));
    const idOf = (prefix: string) => resourcesOf(publisher, 'AWS::S3::Bucket').find(([, b]) => b.Properties.LoggingConfiguration?.LogFilePrefix === prefix)?.[0];
    bucketNames = new Map([[idOf('s3/content/')!, 'content'], [idOf('s3/site/')!, 'site']]);

    // Act: publish the example content from scratch, then an update and a deletion, recording every call.
    s3rver = await startS3Server({ buckets: ['content', 'site'] });
    const files = await listFiles('content');
    for (const file of files) {
      await s3rver.client.send(new PutObjectCommand({ Bucket: 'content', Key: file.key, Body: await readFile(file.path) }));
    }
    const handlerClient = createLocalS3Client(s3rver.endpoint);
    const faults = injectFaults(handlerClient);
    const handler = createHandler({ s3: handlerClient, config: { contentBucket: 'content', siteBucket: 'site' } });
    const publish = async (keys: string[]): Promise<void> => {
      const event: SQSEvent = toSqsEvent(...keys.map((key) => ({ Records: [{ s3: { bucket: { name: 'content' }, object: { key } } }] })));
      expect(await handler(event, createLambdaContext())).toEqual({ batchItemFailures: [] });
    };
    await publish(['site.yaml']);
    const [updated, deleted] = files.filter((file) => file.key.startsWith('articles/'));
    const text = (await readFile(updated!.path, 'utf8')).replace(/^title: .*$/m, 'title: "An updated title"');
    await s3rver.client.send(new PutObjectCommand({ Bucket: 'content', Key: updated!.key, Body: text }));
    await publish([updated!.key]);
    await s3rver.client.send(new DeleteObjectCommand({ Bucket: 'content', Key: deleted!.key }));
    await publish([deleted!.key]);
    calls = [...faults.calls];
    handlerClient.destroy();
  });

  afterAll(async () => {
    await s3rver?.close();
  });

  it('allows every S3 call a publish, an update and a deletion make', () => {
    // Assess
    expect(calls.length).toBeGreaterThan(10);
    expect(calls.filter((call) => !allows(call)).map((call) => `${ACTION_OF[call.command]} ${call.bucket}/${call.key ?? call.prefix ?? ''}`)).toEqual([]);
  });

  it('writes only to the site bucket and reads only articles and site.yaml from the content bucket', () => {
    // Prepare
    const writes = ['s3:PutObject', 's3:DeleteObject'];
    const grants = statements.flatMap((statement) => asList(statement.Action).flatMap((action) => asList(statement.Resource).map((r) => ({ action, resource: resolveResource(r) }))));

    // Assess
    expect(grants.filter((grant) => writes.includes(grant.action)).map((grant) => grant.resource)).toEqual(
      grants.filter((grant) => writes.includes(grant.action)).map(() => 'arn:site/*'),
    );
    expect(grants.filter((grant) => grant.resource.startsWith('arn:content')).map((grant) => `${grant.action} ${grant.resource}`).sort()).toEqual([
      's3:GetObject arn:content/articles/*',
      's3:GetObject arn:content/site.yaml',
      's3:ListBucket arn:content',
    ]);
    expect(grants.filter((grant) => !/^arn:(content|site)\b/.test(grant.resource))).toEqual([]);
  });

  it('grants no S3 action the handler never uses', () => {
    // Prepare
    const used = new Set(calls.map((call) => ACTION_OF[call.command]));

    // Assess
    expect(statements.flatMap((statement) => asList(statement.Action)).filter((action) => !used.has(action))).toEqual([]);
  });
});

/** Every file under `dir`, with its key relative to it. */
async function listFiles(dir: string): Promise<{ key: string; path: string }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { key: relative(dir, path).split(sep).join('/'), path };
    })
    .sort((a, b) => a.key.localeCompare(b.key));
}
