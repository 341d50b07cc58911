/**
 * The built-in SageMaker XGBoost container of a region. SageMaker publishes it from an account of
 * its own in each region, and aws-cdk-lib knows none of them (its region facts hold only the deep
 * learning containers' account), so the table is here: the registry accounts AWS documents for
 * `sagemaker-xgboost` ("Docker Registry Paths and Example Code", the same table as the SageMaker
 * Python SDK's image_uri_config/xgboost.json). A region not listed fails the synth naming it.
 */

/** The framework version training and batch inference both run; one place, so they never differ. */
export const XGBOOST_IMAGE_TAG = '1.7-1';

const XGBOOST_REGISTRY_ACCOUNTS: Readonly<Record<string, string>> = {
  'af-south-1': '510948584623',
  'ap-east-1': '651117190479',
  'ap-northeast-1': '354813040037',
  'ap-northeast-2': '366743142698',
  'ap-northeast-3': '867004704886',
  'ap-south-1': '720646828776',
  'ap-south-2': '628508329040',
  'ap-southeast-1': '121021644041',
  'ap-southeast-2': '783357654285',
  'ap-southeast-3': '951798379941',
  'ap-southeast-4': '106583098589',
  'ca-central-1': '341280168497',
  'ca-west-1': '190319476487',
  'cn-north-1': '450853457545',
  'cn-northwest-1': '451049120500',
  'eu-central-1': '492215442770',
  'eu-central-2': '680994064768',
  'eu-north-1': '662702820516',
  'eu-south-1': '978288397137',
  'eu-south-2': '104374241257',
  'eu-west-1': '141502667606',
  'eu-west-2': '764974769150',
  'eu-west-3': '659782779980',
  'il-central-1': '898809789911',
  'me-central-1': '272398656194',
  'me-south-1': '801668240914',
  'sa-east-1': '737474898029',
  'us-east-1': '683313688378',
  'us-east-2': '257758044811',
  'us-gov-east-1': '237065988967',
  'us-gov-west-1': '414596584902',
  'us-west-1': '746614075791',
  'us-west-2': '246618743249',
};

/** `<account>.dkr.ecr.<region>.<suffix>/sagemaker-xgboost:<tag>` for a concrete region. */
export function xgboostImageUri(region: string): string {
  const account = XGBOOST_REGISTRY_ACCOUNTS[region];
  if (account === undefined) {
    throw new Error(
      `SageMaker's built-in XGBoost image is not known for region '${region}': ` +
        `known regions are ${Object.keys(XGBOOST_REGISTRY_ACCOUNTS).join(', ')}`,
    );
  }
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `${account}.dkr.ecr.${region}.${suffix}/sagemaker-xgboost:${XGBOOST_IMAGE_TAG}`;
}
