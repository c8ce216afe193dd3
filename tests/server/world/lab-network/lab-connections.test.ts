/**
 * Who a lab MX takes a connection to be from. Linux hands the same ephemeral port to
 * connections towards different listeners, so a lab hop is known by both of its ports: an
 * outside client (a learner's swaks) that happens to get the relay's client port, towards
 * another lab host, stays the outside, not the sandbox in a student's world.
 */
import { describe, expect, it } from 'vitest';
import { LabConnections, OUTSIDE_LAB_IP } from '../../../../server/world/lab-network/lab-connections.ts';

const HOP = { fromIp: '192.0.2.10', namespace: 'student:7', outboundId: 3 };

describe('lab connections', () => {
  it('knows a registered hop by its client and listener ports, and nothing else by the client port alone', async () => {
    const connections = new LabConnections('default');
    connections.begin();
    connections.settled({ clientPort: 40_001, listenerPort: 5001 }, HOP);
    expect(await connections.peerOf({ clientPort: 40_001, listenerPort: 5001 })).toEqual(HOP);
    expect(await connections.peerOf({ clientPort: 40_001, listenerPort: 5002 })).toEqual({ fromIp: OUTSIDE_LAB_IP, namespace: 'default' });
    connections.release({ clientPort: 40_001, listenerPort: 5001 });
    expect(await connections.peerOf({ clientPort: 40_001, listenerPort: 5001 })).toEqual({ fromIp: OUTSIDE_LAB_IP, namespace: 'default' });
    expect(connections.size).toBe(0);
  });

  it('holds an accept that may still be a hop until the connect settles', async () => {
    const connections = new LabConnections('default');
    connections.begin();
    const pending = connections.peerOf({ clientPort: 40_002, listenerPort: 5001 });
    connections.settled({ clientPort: 40_002, listenerPort: 5001 }, HOP);
    expect(await pending).toEqual(HOP);
  });
});
