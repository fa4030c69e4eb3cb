import { startS3Server } from './local/s3-server.js';
const s = await startS3Server({ buckets: ['content', 'site'], port: 18081, onEvent: (e) => console.log('event', e.Records[0].eventName, e.Records[0].s3.object.key) });
console.log('ready', s.endpoint, s.directory);
setTimeout(() => s.close(), 90_000);
