import { describe, expect, it } from 'vitest';
import { parseStartArgs, UsageError } from '../../../local/args.js';

describe('parseStartArgs', () => {
  it('defaults to the content folder and port 8080', () => {
    // Act
    const args = parseStartArgs([]);

    // Assess
    expect(args).toEqual({ contentDir: 'content', port: 8080, s3Port: undefined, help: false });
  });

  it('reads --content, --port and --s3-port', () => {
    // Act
    const args = parseStartArgs(['--content', 'my-content', '--port', '0', '--s3-port', '9000']);

    // Assess
    expect(args).toEqual({ contentDir: 'my-content', port: 0, s3Port: 9000, help: false });
  });

  it.each([['--port', 'abc'], ['--port', '70000'], ['--port', '-1'], ['--s3-port', '1.5']])(
    'rejects %s %s',
    (option, value) => {
      // Act
      const parse = () => parseStartArgs([option, value]);

      // Assess
      expect(parse).toThrow(UsageError);
    },
  );

  it('rejects an unknown option', () => {
    // Act
    const parse = () => parseStartArgs(['--contents', 'x']);

    // Assess
    expect(parse).toThrow(UsageError);
  });
});
