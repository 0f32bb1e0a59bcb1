import type { ChatMessage } from '../../api/types';
import { Markdown } from '../markdown/Markdown';

export function ChatPrompt({ messages }: { messages: ChatMessage[] }) {
  return (
    <section className="chat" aria-label="Prompt">
      {messages.map((m, i) => (
        <div key={i} className={`bubble role-${m.role}`}>
          <span className="role">{m.role}</span>
          <Markdown text={m.content} />
        </div>
      ))}
    </section>
  );
}
