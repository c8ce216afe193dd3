/** Every server personality the simulator can answer like, by the name the config uses. */
import type { PersonalityName } from '../../sandbox-config.ts';
import type { Personality } from './personality.ts';
import { EXCHANGE_PERSONALITY } from './modelled/exchange-personality.ts';
import { EXIM_PERSONALITY } from './modelled/exim-personality.ts';
import { GMAIL_PERSONALITY } from './modelled/gmail-personality.ts';
import { POSTFIX_PERSONALITY } from './postfix/postfix-personality.ts';
import { SMTP_SERVER_PERSONALITY } from './smtp-server-personality.ts';

export const PERSONALITIES: Readonly<Record<PersonalityName, Personality>> = {
  'smtp-server': SMTP_SERVER_PERSONALITY,
  postfix: POSTFIX_PERSONALITY,
  exim: EXIM_PERSONALITY,
  gmail: GMAIL_PERSONALITY,
  exchange: EXCHANGE_PERSONALITY,
};

export const PERSONALITY_NAMES = Object.keys(PERSONALITIES) as readonly PersonalityName[];

export type { Personality, PersonalityEvidence, ReceivedFields } from './personality.ts';
