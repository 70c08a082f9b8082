import { Field } from '../ui/field';

/** The blueprint description, as the create and edit forms both ask for it, with its field errors. */
export function DescriptionField({ value, onChange, errors }: { value: string; onChange: (value: string) => void; errors: readonly string[] }) {
  return (
    <Field label="Description" htmlFor="description" errors={errors}>
      <textarea
        id="description"
        className={errors.length ? 'textarea invalid' : 'textarea'}
        style={{ fontFamily: 'inherit', fontSize: 14 }}
        rows={2}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid="description"
      />
    </Field>
  );
}
