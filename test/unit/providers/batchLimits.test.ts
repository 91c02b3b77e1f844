import { strict as assert } from 'node:assert';
import { batchLimits, describeLimits } from '../../../src/providers/batchLimits';

const nimLike = { presetRateLimit: { rpm: 35, concurrency: 4 } };

describe('the limits a batch runs with', () => {
  it('the user\'s concurrency wins over a preset\'s, and lifts the preset\'s requests-per-minute that would cap it', () => {
    const limits = batchLimits({ concurrency: 8, rpm: 0 }, nimLike);
    assert.deepEqual(limits, { concurrency: 8, concurrencyFrom: 'setting', liftedPresetRpm: 35 });
    assert.equal(describeLimits(limits), 'up to 8 requests at a time (your setting imageCaptioner.batch.concurrency), no requests-per-minute limit (your concurrency setting lifts the preset\'s 35/min; set imageCaptioner.batch.requestsPerMinute to pace)');
  });

  it('with no setting, the preset\'s limits apply and say so', () => {
    const limits = batchLimits({ concurrency: 0, rpm: 0 }, nimLike);
    assert.deepEqual(limits, { concurrency: 4, concurrencyFrom: 'preset', rpm: 35, rpmFrom: 'preset' });
    assert.equal(describeLimits(limits), 'up to 4 requests at a time (the model\'s preset), at most 35 requests/min (the model\'s preset)');
  });

  it('a rate the user wrote (the setting, or their own entry) still paces a batch whose concurrency they set', () => {
    assert.deepEqual(batchLimits({ concurrency: 8, rpm: 120 }, nimLike), { concurrency: 8, concurrencyFrom: 'setting', rpm: 120, rpmFrom: 'setting' });
    assert.deepEqual(batchLimits({ concurrency: 8, rpm: 0 }, { ...nimLike, rateLimit: { rpm: 10 } }), { concurrency: 8, concurrencyFrom: 'setting', rpm: 10, rpmFrom: 'model' });
  });

  it('the entry\'s own limits win over its preset\'s; with none anywhere, the default concurrency and no pacing', () => {
    assert.deepEqual(batchLimits({ concurrency: 0, rpm: 0 }, { rateLimit: { concurrency: 2 }, presetRateLimit: { concurrency: 8 } }), { concurrency: 2, concurrencyFrom: 'model' });
    const none = batchLimits({ concurrency: 0, rpm: 0 }, {});
    assert.deepEqual(none, { concurrency: 4, concurrencyFrom: 'default' });
    assert.equal(describeLimits(none), 'up to 4 requests at a time (the default), no requests-per-minute limit');
  });
});
