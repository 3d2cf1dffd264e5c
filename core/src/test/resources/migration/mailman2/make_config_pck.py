#!/usr/bin/env python3
"""Writes oldlist/config.pck as GNU Mailman 2.1 writes a list's config.pck: a protocol-1 pickle of a dict whose
strings are Python 2 byte strings (SHORT_BINSTRING/BINSTRING), booleans as INT 01/00, in the list's charset
(preferred_language 'fr': ISO-8859-1). Written opcode by opcode, because Python 3's pickler would write bytes as
_codecs.encode calls, which Mailman 2.1 never did. Run: python3 make_config_pck.py (from this directory)."""
import struct


def p(v):
    if v is None:
        return b'N'
    if isinstance(v, bool):
        return b'I01\n' if v else b'I00\n'
    if isinstance(v, int):
        return b'J' + struct.pack('<i', v)
    if isinstance(v, float):
        return b'G' + struct.pack('>d', v)
    if isinstance(v, bytes):
        return (b'U' + bytes([len(v)]) + v) if len(v) < 256 else (b'T' + struct.pack('<I', len(v)) + v)
    if isinstance(v, list):
        return b']' + ((b'(' + b''.join(p(x) for x in v) + b'e') if v else b'')
    if isinstance(v, tuple):
        return b'(' + b''.join(p(x) for x in v) + b't'
    if isinstance(v, dict):
        return b'}' + ((b'(' + b''.join(p(k) + p(x) for k, x in v.items()) + b'u') if v else b'')
    raise TypeError(v)


config = {
    b'real_name': b'Caf\xe9 Society',
    b'preferred_language': b'fr',
    b'description': b'Les amis du caf\xe9',
    b'info': b'A long introduction shown on the listinfo page.',
    b'subject_prefix': b'[Caf\xe9 %d] ',
    b'msg_footer': b'_______________________________________________\n%(real_name)s mailing list\n'
                   b'%(web_page_url)slistinfo%(cgiext)s/%(_internal_name)s\n',
    b'members': {b'alice@example.org': 0, b'bob@example.org': b'Bob@Example.org', b'carol@example.org': 0,
                 b'dave@example.org': 0},
    b'digest_members': {b'erin@example.org': 0, b'frank@example.org': 0},
    b'user_options': {b'alice@example.org': 2 | 16, b'carol@example.org': 128, b'dave@example.org': 1,
                      b'frank@example.org': 8, b'erin@example.org': 4},
    b'delivery_status': {b'dave@example.org': (2, 1234567890.0), b'bob@example.org': (4, 1700000000.0)},
    b'usernames': {b'alice@example.org': b'Alice Andr\xe9'},
    b'passwords': {b'alice@example.org': b'not-imported'},
    b'owner': [b'owner@example.org'],
    b'moderator': [b'mod@example.org', b'alice@example.org'],
    b'accept_these_nonmembers': [b'friend@example.net', b'^.*@partner\\.example$'],
    b'hold_these_nonmembers': [],
    b'reject_these_nonmembers': [],
    b'discard_these_nonmembers': [b'pest@example.net'],
    b'ban_list': [b'spammer@example.com', b'^.*@spam\\.example$'],
    b'generic_nonmember_action': 1,
    b'default_member_moderation': False,
    b'member_moderation_action': 0,
    b'max_message_size': 40,
    b'subscribe_policy': 3,
    b'unsubscribe_policy': 0,
    b'archive': True,
    b'archive_private': 1,
    b'advertised': False,
    b'digestable': True,
    b'require_explicit_destination': True,
    b'max_num_recipients': 10,
    b'emergency': False,
    b'reply_goes_to_list': 0,
    b'personalize': 0,
    b'bounce_info': {},
}

with open('oldlist/config.pck', 'wb') as out:
    out.write(p(config) + b'.')
