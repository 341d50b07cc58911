/** What SNS Publish accepts as a Subject: printable ASCII, no line breaks or control characters, fewer than 100 characters, starting with a letter, digit or punctuation. */
export function isSnsSubject(subject: string): boolean {
  return /^[\x21-\x7e][\x20-\x7e]*$/.test(subject) && subject.length < 100;
}
