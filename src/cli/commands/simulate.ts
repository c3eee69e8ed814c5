import { CommandError } from '../usage';
import type { Command } from './index';

export const simulateCommand: Command = {
  summary: 'Run the simulated Odoo and warehouse platforms with demo traffic',
  description:
    'Runs the Odoo simulator and the warehouse simulators (REST+webhook WMS, CSV-over-SFTP WMS,\nX12 EDI 3PL) on their loopback ports, with a traffic generator and incident scenarios.',
  async run() {
    throw new CommandError('the simulators are not part of this build yet');
  },
};
