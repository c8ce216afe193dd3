import { describe, expect, it } from 'vitest';
import { classReach, isLoopbackHost, projectorJoinLink } from '../../../web/src/instructor/class-reach.ts';

describe('how students reach the class', () => {
  it('knows the names only the server machine can use', () => {
    for (const host of ['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.1.2.3', '[::1]']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['192.168.1.20', 'class.example', '[fe80::1]', '10.0.0.127', 'localhost.example']) expect(isLoopbackHost(host)).toBe(false);
  });

  it('is this machine only when every URL the server answers at is a loopback one', () => {
    expect(classReach(['http://127.0.0.1:8025/', 'http://localhost:8025/'], '/join/K7QX2M')).toEqual({ kind: 'this-machine-only' });
  });

  it('lists a join link for each address students can open, in the server\'s order', () => {
    const reach = classReach(['http://192.168.1.20:8025/', 'http://127.0.0.1:8025/', 'http://class.example/'], '/join/K7QX2M');
    expect(reach).toEqual({ kind: 'network', joinLinks: ['http://192.168.1.20:8025/join/K7QX2M', 'http://class.example/join/K7QX2M'] });
  });

  it('puts a link students can open on the projector, even when the dashboard is open at localhost', () => {
    const reach = classReach(['http://192.168.1.20:8025/', 'http://localhost:8025/'], '/join/K7QX2M');
    expect(projectorJoinLink(reach, { origin: 'http://localhost:8025', hostname: 'localhost' }, '/join/K7QX2M')).toBe('http://192.168.1.20:8025/join/K7QX2M');
    expect(projectorJoinLink(reach, { origin: 'http://192.168.1.20:8025', hostname: '192.168.1.20' }, '/join/K7QX2M')).toBe('http://192.168.1.20:8025/join/K7QX2M');
    const local = classReach(['http://127.0.0.1:8025/'], '/join/K7QX2M');
    expect(projectorJoinLink(local, { origin: 'http://127.0.0.1:8025', hostname: '127.0.0.1' }, '/join/K7QX2M')).toBe('http://127.0.0.1:8025/join/K7QX2M');
  });
});
