import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getPublishedContacts } from '~/models/opinion-receipts.server';
import { getDb } from '~/server/db.server';
import { getEnv } from '~/utils/env.server';

export const meta: MetaFunction = () => [
  { title: '個人情報の取扱い | 意見箱' },
  { name: 'description', content: '意見箱で意見を送信したときに保存する情報、その情報を見る人、保存期間について説明します。' },
];

export async function loader() {
  return { contacts: await getPublishedContacts(getDb()), retentionMonths: getEnv().RETENTION_MONTHS };
}

export default function PrivacyRoute() {
  const { contacts, retentionMonths } = useLoaderData<typeof loader>();
  return (
    <article className="privacy" aria-labelledby="privacy-title">
      <h1 id="privacy-title">個人情報の取扱い</h1>
      <p>
        意見箱は、嘉興市秀洲区が公表した通報について、市民の皆さまから意見・提案を受け付けるための窓口です。意見を送信したときにお預かりする情報の取扱いを、次のとおり定めます。
      </p>

      <h2>保存する情報</h2>
      <ul>
        <li>ご意見の内容、対象の項目、受付日時、受付番号</li>
        <li>任意でご記入いただいたお名前、メールアドレス、電話番号</li>
        <li>「回答を希望する」「回答とあわせて意見を公開してよい」の選択</li>
        <li>
          不正な大量送信への対策として、送信元IPアドレスから作った識別用の値(鍵付きハッシュ。IPアドレスそのものは保存しません)と、ブラウザの種類(ユーザーエージェント)
        </li>
      </ul>

      <h2>利用の目的</h2>
      <ul>
        <li>ご意見を担当の部署へ届け、検討・対応するため</li>
        <li>回答を希望された方へ回答し、受付の確認メールをお送りするため</li>
        <li>同じ意見の重複送信や、いたずら・大量送信を防ぐため</li>
      </ul>

      <h2>情報を見る人</h2>
      <p>
        お預かりした情報を見ることができるのは、秀洲区の担当職員と、ご意見の対応を担当する区の部署の職員に限られます。法令に基づく場合を除き、第三者に提供することはありません。
      </p>

      <h2>公開について</h2>
      <p>
        お名前・メールアドレス・電話番号は、いかなる場合も公開しません。「回答とあわせて意見を公開してよい」を選ばれた場合に限り、区の回答とともに、個人を特定できる記述を除いたご意見の内容を公開することがあります。
      </p>

      <h2>保存期間</h2>
      <p>
        対応が完了した日から{retentionMonths}か月を過ぎると、お名前・メールアドレス・電話番号・住所・識別用の値(鍵付きハッシュ)・ブラウザの種類を削除します。意見の内容と対応の記録は、個人を特定できない形で残ります。ご本人からの求めがあれば、保存している情報の写しをお渡しし、または消去します(下記の窓口へご連絡ください)。
      </p>

      <h2>受付番号と控えのページ</h2>
      <p>
        受付番号で確認できるのは、対応状況と公開された回答だけです。送信後に表示される控えのページのアドレスは、ご本人だけが知る推測困難なものです。他の人に知らせないでください。
      </p>

      <h2>お問い合わせ</h2>
      <p>ご自身の情報の確認・訂正・削除のご希望は、受付番号を添えて次の窓口へご連絡ください。</p>
      {contacts ? (
        <dl className="receipt-facts">
          <dt>電話</dt>
          <dd>
            <a href={`tel:${contacts.phone.replace(/[^\d+]/g, '')}`}>{contacts.phone}</a>
          </dd>
          <dt>郵便</dt>
          <dd>{contacts.mailbox}</dd>
        </dl>
      ) : null}
      <p>
        <Link to="/">通報一覧へ戻る</Link>
      </p>
    </article>
  );
}
