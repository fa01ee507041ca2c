// verify.js - checks a RaportAI callback signature
// (Node.js 16+, built-in crypto only).
//
// Run:   node verify.js HMAC_SECRET TIMESTAMP SIGNATURE BODY_FILE
// Exits 0 when the signature is valid and the timestamp is fresh, 1 otherwise.
//
// The signature is the lowercase hex HMAC-SHA256, keyed with the job's
// hmacSecret (its characters as they are, not hex-decoded), of
// timestamp + "." + the raw body bytes.
'use strict';

const crypto = require('crypto');
const fs = require('fs');

const MAX_AGE_MS = 5 * 60 * 1000; // reject timestamps more than 5 minutes off
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

// True when signature is the HMAC of timestamp "." body (a Buffer) under
// secret and the timestamp is within MAX_AGE_MS of now.
function callbackIsValid(secret, timestamp, body, signature, now = Date.now()) {
  const sent = TIMESTAMP.test(timestamp) ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(sent) || Math.abs(now - sent) > MAX_AGE_MS) {
    return false;
  }
  const expected = crypto
    .createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(Buffer.concat([Buffer.from(timestamp + '.', 'utf8'), body]))
    .digest('hex');
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(signature, 'utf8');
  return a.length === b.length && crypto.timingSafeEqual(a, b); // constant time
}

function main(argv) {
  if (argv.length !== 4) {
    console.error('usage: node verify.js HMAC_SECRET TIMESTAMP SIGNATURE BODY_FILE');
    return 1;
  }
  const [secret, timestamp, signature, bodyFile] = argv;
  let body;
  try {
    body = fs.readFileSync(bodyFile); // the raw bytes, never re-serialized JSON
  } catch (e) {
    console.error(`cannot read ${bodyFile}: ${e.message}`);
    return 1;
  }
  const ok = callbackIsValid(secret, timestamp, body, signature);
  console.log(ok ? 'valid' : 'invalid');
  return ok ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
