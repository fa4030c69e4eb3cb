import { describe, expect, it } from 'vitest';
import { createHandlerLogConsole, formatHandlerLog } from '../../../local/format-handler-log.js';

describe('formatHandlerLog', () => {
  it('prints a rejected article as its path and reason', () => {
    // Prepare
    const entry = JSON.stringify({
      level: 'ERROR',
      message: 'Article rejected',
      service: 'feed-publisher',
      objectKey: 'articles/bad.md',
      reason: 'date: is required',
    });

    // Act
    const line = formatHandlerLog(entry);

    // Assess
    expect(line).toBe('articles/bad.md: date: is required');
  });

  it('does not repeat the path when the reason already names it', () => {
    // Prepare
    const entry = JSON.stringify({ level: 'ERROR', message: 'Site configuration rejected', objectKey: 'site.yaml', reason: 'site.yaml: title: is required' });

    // Act
    const line = formatHandlerLog(entry);

    // Assess
    expect(line).toBe('site.yaml: title: is required');
  });

  it('prints an entry without a reason as its level, message and error message', () => {
    // Prepare
    const entry = JSON.stringify({ level: 'ERROR', message: 'Publish failed', error: { name: 'Error', message: 'socket hang up' } });

    // Act
    const line = formatHandlerLog(entry);

    // Assess
    expect(line).toBe('error: Publish failed: socket hang up');
  });

  it('leaves text that is not a log entry as it is', () => {
    // Act
    const line = formatHandlerLog('plain text\n');

    // Assess
    expect(line).toBe('plain text');
  });
});

describe('createHandlerLogConsole', () => {
  it('prints one formatted line per console call', () => {
    // Prepare
    const lines: string[] = [];
    const logConsole = createHandlerLogConsole((line) => lines.push(line));

    // Act
    logConsole.error(JSON.stringify({ level: 'ERROR', message: 'Article rejected', objectKey: 'articles/x.md', reason: 'title: is required' }, null, 4));
    logConsole.warn('a warning');

    // Assess
    expect(lines).toEqual(['articles/x.md: title: is required', 'a warning']);
  });
});
