import type { Migration } from "../migrate.ts";

/**
 * Saved chat conversations per user and their messages, with a trigram
 * full-text index over message text for substring search.
 *
 * `profile_id` is not a foreign key: deleting a profile must not delete the
 * conversations held with it, so its name and model are kept beside it.
 */
export const conversations: Migration = {
  version: 5,
  name: "conversations",
  sql: `
    CREATE TABLE conversations (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      title TEXT NOT NULL,
      system_prompt TEXT,
      profile_id INTEGER,
      profile_name TEXT,
      model TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX conversations_user_updated ON conversations(user_id, updated_at DESC);

    CREATE TABLE chat_messages (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'tool')),
      content TEXT NOT NULL DEFAULT '',
      reasoning TEXT,
      reasoning_duration REAL,
      tool_calls TEXT,
      tool_call_id TEXT,
      name TEXT,
      attachments TEXT,
      metrics TEXT,
      error TEXT,
      profile_id INTEGER,
      model TEXT,
      created_at TEXT NOT NULL,
      UNIQUE (conversation_id, position)
    );

    CREATE VIRTUAL TABLE chat_messages_fts USING fts5(
      content, content='chat_messages', content_rowid='id', tokenize='trigram'
    );
    CREATE TRIGGER chat_messages_ai AFTER INSERT ON chat_messages BEGIN
      INSERT INTO chat_messages_fts(rowid, content) VALUES (new.id, new.content);
    END;
    CREATE TRIGGER chat_messages_ad AFTER DELETE ON chat_messages BEGIN
      INSERT INTO chat_messages_fts(chat_messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    END;
    CREATE TRIGGER chat_messages_au AFTER UPDATE OF content ON chat_messages BEGIN
      INSERT INTO chat_messages_fts(chat_messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
      INSERT INTO chat_messages_fts(rowid, content) VALUES (new.id, new.content);
    END;
  `,
};
