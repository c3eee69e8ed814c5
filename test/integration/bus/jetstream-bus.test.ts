import { randomUUID } from 'node:crypto';
import { JetStreamBus } from '../../../src/lib/integration/bus';
import { runMessageBusContract } from '../../contracts/message-bus.contract';

// The real nats-server with JetStream on 127.0.0.1:4222 (.ci/run starts one); each bus gets its own stream.
runMessageBusContract({
  async create({ leaseMs }) {
    const id = randomUUID().replace(/-/g, '').slice(0, 12);
    const options = { url: 'nats://127.0.0.1:4222', stream: `TEST_${id}`, subjectPrefix: `t${id}`, leaseMs };
    const bus = await JetStreamBus.connect(options);
    return {
      bus,
      reopen: () => JetStreamBus.connect(options),
      cleanup: async () => {
        const admin = await JetStreamBus.connect(options);
        await admin.destroy();
        await admin.close();
      },
    };
  },
});
